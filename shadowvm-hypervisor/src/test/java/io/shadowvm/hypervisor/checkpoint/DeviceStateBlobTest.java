package io.shadowvm.hypervisor.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeviceStateBlobTest {
    private static final byte[] STREAM = "QEVM\0\0\0\3device state bytes".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void shouldAcceptAnIntactBlobOfTheExpectedEpoch() {
        byte[] blob = DeviceStateBlob.wrap(7, STREAM, STREAM.length);
        assertThat(DeviceStateBlob.verify(blob, blob.length, 7, "test")).isEqualTo(7);
    }

    @Test
    void shouldRefuseACorruptedBlobNamingBothChecksums() {
        byte[] blob = DeviceStateBlob.wrap(7, STREAM, STREAM.length);
        blob[DeviceStateBlob.HEADER_BYTES + 9] ^= 1;
        assertThatThrownBy(() -> DeviceStateBlob.verify(blob, blob.length, 7, "epoch 7"))
                .isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("CRC32C").hasMessageContaining("expected");
    }

    @Test
    void shouldRefuseATruncatedBlobNamingTheLengths() {
        byte[] blob = DeviceStateBlob.wrap(7, STREAM, STREAM.length);
        byte[] cut = Arrays.copyOf(blob, blob.length - 5);
        assertThatThrownBy(() -> DeviceStateBlob.verify(cut, cut.length, 7, "epoch 7"))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("truncated").hasMessageContaining("expected: " + STREAM.length);
        assertThatThrownBy(() -> DeviceStateBlob.verify(cut, 10, 7, "epoch 7")).hasMessageContaining("at least 24");
    }

    @Test
    void shouldRefuseABlobOfAnotherEpochOrFormat() {
        byte[] blob = DeviceStateBlob.wrap(7, STREAM, STREAM.length);
        assertThatThrownBy(() -> DeviceStateBlob.verify(blob, blob.length, 8, "x")).hasMessageContaining("epoch 7 (expected: 8)");
        blob[4] = 9;
        assertThatThrownBy(() -> DeviceStateBlob.verify(blob, blob.length, 7, "x")).hasMessageContaining("format version 9 (expected: 1)");
    }

    @Test
    void shouldRefuseAPayloadThatIsNotAQemuStream() {
        byte[] junk = "JUNKJUNK".getBytes(StandardCharsets.US_ASCII);
        byte[] blob = DeviceStateBlob.wrap(1, junk, junk.length);
        assertThatThrownBy(() -> DeviceStateBlob.verify(blob, blob.length, 1, "x")).hasMessageContaining("QEVM");
    }

    @Test
    void shouldCarryAProcessGuestStateBlob() {
        byte[] blob = DeviceStateBlob.processState(3, 4096);
        assertThat(DeviceStateBlob.verify(blob, blob.length, 3, "x")).isEqualTo(3);
    }

    @Test
    void shouldVerifyABlobInAByteBufferWithoutMovingIt() {
        byte[] blob = DeviceStateBlob.wrap(7, STREAM, STREAM.length);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(blob.length + 8).position(3);
        b.put(blob).flip().position(3);
        java.nio.ByteBuffer view = b.asReadOnlyBuffer();
        assertThat(DeviceStateBlob.verify(view, 7, "x")).isEqualTo(7);
        assertThat(view.position()).isEqualTo(3);
        assertThat(view.remaining()).isEqualTo(blob.length);
    }

    @Test
    void shouldAcceptOrNameTheFailureAsASyncValidator() {
        byte[] blob = DeviceStateBlob.wrap(7, STREAM, STREAM.length);
        assertThat(DeviceStateBlob.SYNC_VALIDATOR.check(1, 7, java.nio.ByteBuffer.wrap(blob).asReadOnlyBuffer())).isNull();
        assertThat(DeviceStateBlob.SYNC_VALIDATOR.check(1, 8, java.nio.ByteBuffer.wrap(blob)))
                .isEqualTo("epoch 8: device state belongs to epoch 7 (expected: 8)");
        blob[DeviceStateBlob.HEADER_BYTES + 9] ^= 1;
        assertThat(DeviceStateBlob.SYNC_VALIDATOR.check(1, 7, java.nio.ByteBuffer.wrap(blob)))
                .startsWith("epoch 7: device state CRC32C 0x");
        assertThat(DeviceStateBlob.SYNC_VALIDATOR.check(1, 7, java.nio.ByteBuffer.allocate(3)))
                .isEqualTo("epoch 7: device state truncated: 3 bytes (expected: at least 24)");
    }
}
