package io.shadowvm.monitor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class ProbeFrameTest {
    private final CRC32C crc = new CRC32C();

    @Test
    void shouldCarryPeerSequenceAndSendTimeThroughAReply() {
        ByteBuffer b = ByteBuffer.allocate(128);
        ProbeFrame.writeRequest(b, 0, 100, 7, 42L, 123_456_789L, crc);
        assertThat(ProbeFrame.validate(b, 0, ProbeFrame.ECHO_REQUEST, crc)).isEqualTo(100);
        ProbeFrame.toReply(b, 0, 1_700_000_000_000_000L, crc);
        assertThat(ProbeFrame.validate(b, 0, ProbeFrame.ECHO_REPLY, crc)).isEqualTo(100);
        assertThat(ProbeFrame.peer(b, 0)).isEqualTo(7);
        assertThat(ProbeFrame.sequence(b, 0)).isEqualTo(42L);
        assertThat(ProbeFrame.sendNs(b, 0)).isEqualTo(123_456_789L);
        assertThat(ProbeFrame.recvEpochUs(b, 0)).isEqualTo(1_700_000_000_000_000L);
        assertThat(b.position()).isZero();
        assertThat(b.limit()).isEqualTo(128);
    }

    @Test
    void shouldDetectACorruptedHeader() {
        ByteBuffer b = ByteBuffer.allocate(64);
        ProbeFrame.writeRequest(b, 0, 64, 1, 2, 3, crc);
        b.put(20, (byte) (b.get(20) ^ 0x10));
        assertThat(ProbeFrame.validate(b, 0, ProbeFrame.ECHO_REQUEST, crc)).isEqualTo(ProbeFrame.Problem.BAD_CRC);
        b.putInt(0, 0xCAFEBABE);
        assertThat(ProbeFrame.validate(b, 0, ProbeFrame.ECHO_REQUEST, crc)).isEqualTo(ProbeFrame.Problem.BAD_MAGIC);
    }

    @Test
    void shouldRejectARequestWhereAReplyIsExpected() {
        ByteBuffer b = ByteBuffer.allocate(64);
        ProbeFrame.writeRequest(b, 0, 64, 1, 2, 3, crc);
        assertThat(ProbeFrame.validate(b, 0, ProbeFrame.ECHO_REPLY, crc)).isEqualTo(ProbeFrame.Problem.BAD_TYPE);
    }

    @Test
    void shouldNameTheBoundsOfAnInvalidLength() {
        assertThatThrownBy(() -> ProbeFrame.checkLength(70_000))
            .hasMessage("invalid probe frame length: 70000 (expected: 44-65507)");
        assertThatThrownBy(() -> ProbeSettings.DEFAULT.withPayloadBytes(10))
            .hasMessageContaining("10 (expected: 44-65507)");
    }
}
