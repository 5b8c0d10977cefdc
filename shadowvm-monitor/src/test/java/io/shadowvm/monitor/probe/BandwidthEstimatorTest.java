package io.shadowvm.monitor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.agent.AgentRunner;
import io.shadowvm.core.time.EpochClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class BandwidthEstimatorTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void shouldTimeATransferToAResponderAndKeepAnsweringProbesAfterwards() throws Exception {
        ProbeResponder r = new ProbeResponder(ANY_LOOPBACK, EpochClock.SYSTEM);
        try (AgentRunner runner = new AgentRunner(r, r.idleStrategy(10), Throwable::printStackTrace).start()) {
            BandwidthEstimator.Result res = BandwidthEstimator.measure(r.address(), 8 << 20, 30_000);
            assertThat(res.bytes()).isEqualTo(8 << 20);
            assertThat(res.receiverMbit()).isPositive();
            assertThat(res.senderMbit()).isPositive();
            assertThat(res.receiverElapsedUs()).isLessThanOrEqualTo(res.senderElapsedUs());
            // the same responder still answers ordinary probes
            BandwidthEstimator.Result again = BandwidthEstimator.measure(r.address(), 256 * 1024, 30_000);
            assertThat(again.bytes()).isEqualTo(256 * 1024);
        }
    }

    @Test
    void shouldNameTheBoundsOfABadSizeAndTimeOutOnASilentPeer() {
        ProbeResponder silent = new ProbeResponder(ANY_LOOPBACK, EpochClock.SYSTEM);
        try {
            assertThatThrownBy(() -> BandwidthEstimator.measure(silent.address(), 10, 1_000))
                .hasMessage("invalid transfer size: 10 bytes (expected: 65536-1073741824)");
            assertThatThrownBy(() -> BandwidthEstimator.measure(silent.address(), 64 * 1024, 300))
                .isInstanceOf(ShadowVmException.class).hasMessageContaining("no answer within 300 ms");
        } finally {
            silent.close();
        }
    }

    @Test
    void shouldCloseAConnectionAskingForAnOversizedTransfer() throws Exception {
        ProbeResponder r = new ProbeResponder(ANY_LOOPBACK, EpochClock.SYSTEM);
        try (java.net.Socket s = new java.net.Socket(r.address().getAddress(), r.address().getPort())) {
            java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(ProbeFrame.HEADER_LENGTH);
            ProbeFrame.writeControl(h, 0, ProbeFrame.BULK_START, ProbeFrame.MAX_BULK_BYTES + 1, 0,
                new java.util.zip.CRC32C());
            s.getOutputStream().write(h.array());
            assertThat(Drive.until(() -> r.corruptCount() == 1, 5_000, r)).isTrue();
            s.setSoTimeout(5_000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        } finally {
            r.close();
        }
    }
}
