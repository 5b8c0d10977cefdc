package io.shadowvm.monitor.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryCodecTest {
    /** The batch stored in {@code telemetry/batch-v1.bin}; never change either. */
    static TelemetryBatch goldenBatch() {
        TelemetryBatchBuilder b = new TelemetryBatchBuilder("r1h1", 100);
        int self = b.name("r1h1");
        int peer = b.name("r2h1");
        int link = b.name("r1-spine");
        b.add(TelemetryMetric.RTT_MS, self, peer, 1_764_000_000_000L, 0.125);
        b.add(TelemetryMetric.UDP_LOSS, self, peer, 1_764_000_000_001L, 1);
        b.add(TelemetryMetric.LINK_UTIL, link, -1, 1_764_000_000_002L, 0.97);
        b.drain(0); // sequence 0 is consumed: the golden batch is #1
        b.add(TelemetryMetric.RTT_MS, self, peer, 1_764_000_000_000L, 0.125);
        b.add(TelemetryMetric.UDP_LOSS, self, peer, 1_764_000_000_001L, 1);
        b.add(TelemetryMetric.LINK_UTIL, link, -1, 1_764_000_000_002L, 0.97);
        return b.drain(1_764_000_000_500L);
    }

    private static byte[] golden() throws IOException {
        try (InputStream in = TelemetryCodecTest.class.getResourceAsStream("/telemetry/batch-v1.bin")) {
            assertThat(in).as("golden file telemetry/batch-v1.bin").isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void shouldRoundTripABatch() {
        TelemetryBatch b = goldenBatch();
        byte[] wire = TelemetryCodec.encode(b);
        assertThat(wire).hasSize(TelemetryCodec.HEADER_BYTES + 2 + 4 + 16 + 2 + 6 + 6 + 10 + 4 + 3 * 21);
        TelemetryBatch back = TelemetryCodec.decode(wire);
        assertThat(back).isEqualTo(b);
        assertThat(back.sequence()).isEqualTo(1);
        assertThat(back.metric(2)).isEqualTo(TelemetryMetric.LINK_UTIL);
        assertThat(back.peers()[2]).isEqualTo(-1);
        assertThat(back.names()).containsExactly("r1h1", "r2h1", "r1-spine");
    }

    @Test
    void shouldStillReadTheVersion1GoldenFile() throws IOException {
        assertThat(TelemetryCodec.decode(golden())).isEqualTo(goldenBatch());
        assertThat(TelemetryCodec.encode(goldenBatch())).isEqualTo(golden());
    }

    @Test
    void shouldRejectACorruptedBody() throws IOException {
        byte[] wire = golden();
        wire[40] ^= 1;
        assertThatThrownBy(() -> TelemetryCodec.decode(wire)).isInstanceOf(TelemetryFormatException.class)
            .hasMessageContaining("CRC mismatch");
    }

    @Test
    void shouldRejectATruncatedBatchAndAnUnknownVersion() throws IOException {
        byte[] wire = golden();
        assertThatThrownBy(() -> TelemetryCodec.decode(java.util.Arrays.copyOf(wire, wire.length - 1)))
            .hasMessageContaining("invalid telemetry body length");
        wire[4] = 9;
        assertThatThrownBy(() -> TelemetryCodec.decode(wire))
            .hasMessage("unsupported telemetry version: 9 (expected: 1)");
        assertThatThrownBy(() -> TelemetryCodec.decode(new byte[3])).hasMessageContaining("expected: at least 16");
    }

    @Test
    void shouldRefuseSamplesThatReferToMissingNames() {
        assertThatThrownBy(() -> new TelemetryBatch("a", 0, 0, List.of("a"), new byte[] {1}, new int[] {0},
            new int[] {5}, new long[] {0}, new double[] {0})).hasMessageContaining("expected: 0-0");
    }

    @Test
    void shouldDropSamplesBeyondTheBatchLimitAndCountThem() {
        TelemetryBatchBuilder b = new TelemetryBatchBuilder("x", 2);
        int n = b.name("x");
        for (int i = 0; i < 5; i++) {
            b.add(TelemetryMetric.TX_BPS, n, -1, i, i);
        }
        assertThat(b.size()).isEqualTo(2);
        assertThat(b.droppedCount()).isEqualTo(3);
    }
}
