package io.shadowvm.hypervisor.checkpoint;

import io.shadowvm.sync.EpochValidator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The device state of one epoch: QEMU's migration stream with {@code x-ignore-shared} (CPU, devices, the small
 * non-shared ROM/ACPI blocks; never the guest RAM), wrapped with a header so a torn or corrupted blob is refused
 * before QEMU ever sees it. Format version 1 (independent of the release), little-endian:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                        magic "SVDS"                           |  0
 * +-------------------------------+-------------------------------+
 * |        format version (1)     |  flags (bit 0: process guest) |  4
 * +-------------------------------+-------------------------------+
 * |                        epoch (u64)                            |  8
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                    payload length (u32)                       | 16
 * +---------------------------------------------------------------+
 * |                  CRC32C of the payload (u32)                  | 20
 * +---------------------------------------------------------------+
 * |  payload: QEMU migration stream, starts with "QEVM" ...       | 24
 * |  (process guests: "SVPG" then the state size, u64)            |
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class DeviceStateBlob {
    public static final int MAGIC = 0x53445653; // "SVDS" little-endian
    public static final short VERSION = 1;
    public static final int HEADER_BYTES = 24;
    /** QEMU's migration stream magic, big-endian "QEVM". */
    public static final int QEMU_MAGIC = 0x5145564D;
    /** Process-guest payload magic, big-endian "SVPG". */
    public static final int PROCESS_MAGIC = 0x53565047;
    public static final short FLAG_PROCESS = 1;
    /** Largest payload accepted (device state is a few hundred KiB; ROM blocks included). */
    public static final int MAX_PAYLOAD_BYTES = 64 << 20;

    private DeviceStateBlob() {
    }

    /** Wraps {@code payload[0..len)} as the device state of {@code epoch}. */
    public static byte[] wrap(long epoch, byte[] payload, int len) {
        return wrap(epoch, payload, len, (short) 0);
    }

    /** The critical state of a process guest (it has no device state): "SVPG" and the state size. */
    public static byte[] processState(long epoch, long stateBytes) {
        byte[] p = ByteBuffer.allocate(12).putInt(PROCESS_MAGIC).putLong(stateBytes).array();
        return wrap(epoch, p, p.length, FLAG_PROCESS);
    }

    static byte[] wrap(long epoch, byte[] payload, int len, short flags) {
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, len);
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + len).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putShort(VERSION).putShort(flags).putLong(epoch).putInt(len).putInt((int) crc.getValue());
        b.put(payload, 0, len);
        return b.array();
    }

    /**
     * Checks a blob and returns its epoch; the payload starts at {@link #HEADER_BYTES} and its length is
     * {@code len - HEADER_BYTES}.
     *
     * @param expectedEpoch the epoch the blob must belong to, or -1 for any
     * @throws CorruptCheckpointException naming what failed, the value and the bound
     */
    public static long verify(byte[] blob, int len, long expectedEpoch, String what) {
        return verify(ByteBuffer.wrap(blob, 0, len).slice(), expectedEpoch, what);
    }

    /**
     * The same check on {@code blob}'s remaining bytes (position and limit unchanged; nothing is copied), e.g. the
     * read-only critical blob a sync sink hands its validator.
     */
    public static long verify(ByteBuffer blob, long expectedEpoch, String what) {
        int len = blob.remaining();
        if (len < HEADER_BYTES) {
            throw new CorruptCheckpointException(what + ": device state truncated: " + len + " bytes (expected: at least " + HEADER_BYTES + ")");
        }
        ByteBuffer b = blob.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int at = b.position();
        int magic = b.getInt(at);
        if (magic != MAGIC) {
            throw new CorruptCheckpointException(what + ": device state has bad magic 0x" + Integer.toHexString(magic)
                    + " (expected: 0x" + Integer.toHexString(MAGIC) + ")");
        }
        short version = b.getShort(at + 4);
        if (version != VERSION) {
            throw new CorruptCheckpointException(what + ": device state format version " + version + " (expected: " + VERSION + ")");
        }
        short flags = b.getShort(at + 6);
        long epoch = b.getLong(at + 8);
        if (expectedEpoch >= 0 && epoch != expectedEpoch) {
            throw new CorruptCheckpointException(what + ": device state belongs to epoch " + epoch + " (expected: " + expectedEpoch + ")");
        }
        long payloadLen = Integer.toUnsignedLong(b.getInt(at + 16));
        if (payloadLen > MAX_PAYLOAD_BYTES) {
            throw new CorruptCheckpointException(what + ": device state payload length " + payloadLen + " (expected: 0-" + MAX_PAYLOAD_BYTES + ")");
        }
        if (payloadLen != len - HEADER_BYTES) {
            throw new CorruptCheckpointException(what + ": device state truncated: payload " + (len - HEADER_BYTES)
                    + " bytes (expected: " + payloadLen + ")");
        }
        int crcWant = b.getInt(at + 20);
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(at + HEADER_BYTES).limit(at + len));
        if ((int) crc.getValue() != crcWant) {
            throw new CorruptCheckpointException(what + ": device state CRC32C 0x" + Integer.toHexString((int) crc.getValue())
                    + " (expected: 0x" + Integer.toHexString(crcWant) + ")");
        }
        int want = (flags & FLAG_PROCESS) != 0 ? PROCESS_MAGIC : QEMU_MAGIC;
        if (payloadLen < 4 || b.order(ByteOrder.BIG_ENDIAN).getInt(at + HEADER_BYTES) != want) {
            throw new CorruptCheckpointException(what + ": device state payload does not start with "
                    + (want == QEMU_MAGIC ? "QEVM (a QEMU migration stream)" : "SVPG (a process guest's state)"));
        }
        return epoch;
    }

    /**
     * This format's check as a sync sink's validator: an epoch is applied only when its critical blob is a device
     * state of that very epoch whose header, length, CRC32C and payload magic all verify; otherwise the reason
     * (the same message {@link #verify} throws) rejects it before anything is applied.
     */
    public static final EpochValidator SYNC_VALIDATOR = (streamId, epoch, critical) -> {
        try {
            verify(critical, epoch, "epoch " + epoch);
            return null;
        } catch (CorruptCheckpointException e) {
            return e.getMessage();
        }
    };
}
