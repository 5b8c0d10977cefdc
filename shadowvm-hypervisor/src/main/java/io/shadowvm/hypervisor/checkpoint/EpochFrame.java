package io.shadowvm.hypervisor.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One epoch on the wire from the primary's checkpointer to the shadow's replica: the device-state blob (the
 * epoch's critical state, first) and the dirty pages. Format version 1, little-endian:
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                        magic "SVEP"                           |  0
 * +-------------------------------+-------------------------------+
 * |        format version (1)     |           flags (0)           |  4
 * +-------------------------------+-------------------------------+
 * |                        epoch (u64)                            |  8
 * +---------------------------------------------------------------+
 * |                  guest RAM size in bytes (u64)                | 16
 * +---------------------------------------------------------------+
 * |                 page record count (u32)                       | 24
 * +---------------------------------------------------------------+
 * |              device-state blob length (u32)                   | 28
 * +---------------------------------------------------------------+
 * |              body length after the header (u32)              | 32
 * +---------------------------------------------------------------+
 * |                    CRC32C of the body (u32)                   | 36
 * +---------------------------------------------------------------+
 * | body: device-state blob ({@link DeviceStateBlob}), then per    | 40
 * | dirty page: page index (u32) | kind (u8: 0 zero, 1 raw)       |
 * |             | 4096 bytes when raw                             |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * Zero pages cost 5 bytes; other pages are sent whole (the sync engine's XOR/LZ4 codec is the place for more).
 */
public final class EpochFrame {
    public static final int MAGIC = 0x50455653; // "SVEP"
    public static final short VERSION = 1;
    public static final int HEADER_BYTES = 40;
    public static final byte KIND_ZERO = 0;
    public static final byte KIND_RAW = 1;
    /** Largest body accepted: every page of a 16 GiB guest raw, plus records and device state. */
    public static final long MAX_BODY_BYTES = Integer.MAX_VALUE - 64;

    private byte[] buf = new byte[1 << 20];
    private int len;
    private final byte[] page = new byte[GuestRam.PAGE_SIZE];

    /** Encodes an epoch into this (reused) frame; returns the frame length. */
    public int encode(long epoch, byte[] devBlob, GuestRam src, long[] dirty) {
        int maxPages = src.pages();
        len = HEADER_BYTES;
        ensure(devBlob.length);
        System.arraycopy(devBlob, 0, buf, len, devBlob.length);
        len += devBlob.length;
        int records = 0;
        for (int w = 0; w < dirty.length; w++) {
            long bits = dirty[w];
            while (bits != 0) {
                int p = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (p >= maxPages) {
                    break;
                }
                ensure(5 + GuestRam.PAGE_SIZE);
                putInt(len, p);
                if (src.isZeroPage(p)) {
                    buf[len + 4] = KIND_ZERO;
                    len += 5;
                } else {
                    buf[len + 4] = KIND_RAW;
                    src.readPage(p, buf, len + 5);
                    len += 5 + GuestRam.PAGE_SIZE;
                }
                records++;
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buf, HEADER_BYTES, len - HEADER_BYTES);
        ByteBuffer h = ByteBuffer.wrap(buf, 0, HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(epoch).putLong(src.sizeBytes())
                .putInt(records).putInt(devBlob.length).putInt(len - HEADER_BYTES).putInt((int) crc.getValue());
        return len;
    }

    public byte[] buffer() {
        return buf;
    }

    public int length() {
        return len;
    }

    private void ensure(int more) {
        if ((long) len + more > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) len + more);
            if (want > Integer.MAX_VALUE - 64) {
                throw new CorruptCheckpointException("epoch frame would exceed " + (Integer.MAX_VALUE - 64) + " bytes");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    private void putInt(int at, int v) {
        buf[at] = (byte) v;
        buf[at + 1] = (byte) (v >>> 8);
        buf[at + 2] = (byte) (v >>> 16);
        buf[at + 3] = (byte) (v >>> 24);
    }

    /** The checked header of a received frame. */
    public record Header(long epoch, long ramBytes, int records, int devStateLen, int bodyLen, int crc) {
    }

    /** Parses and bounds a header; {@code ramBytes} is the replica's RAM size the frame must match. */
    public static Header readHeader(byte[] h, long ramBytes) {
        ByteBuffer b = ByteBuffer.wrap(h, 0, HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new CorruptCheckpointException("epoch frame has bad magic 0x" + Integer.toHexString(magic) + " (expected: 0x" + Integer.toHexString(MAGIC) + ")");
        }
        short v = b.getShort();
        if (v != VERSION) {
            throw new CorruptCheckpointException("epoch frame format version " + v + " (expected: " + VERSION + ")");
        }
        b.getShort();
        long epoch = b.getLong();
        long ram = b.getLong();
        if (ram != ramBytes) {
            throw new CorruptCheckpointException("epoch " + epoch + " is for " + ram + " bytes of RAM (expected: " + ramBytes + ")");
        }
        long records = Integer.toUnsignedLong(b.getInt());
        long pages = ramBytes / GuestRam.PAGE_SIZE;
        if (records > pages) {
            throw new CorruptCheckpointException("epoch " + epoch + " has " + records + " page records (expected: 0-" + pages + ")");
        }
        long dev = Integer.toUnsignedLong(b.getInt());
        if (dev > DeviceStateBlob.MAX_PAYLOAD_BYTES + DeviceStateBlob.HEADER_BYTES) {
            throw new CorruptCheckpointException("epoch " + epoch + " device state of " + dev + " bytes (expected: 0-"
                    + (DeviceStateBlob.MAX_PAYLOAD_BYTES + DeviceStateBlob.HEADER_BYTES) + ")");
        }
        long body = Integer.toUnsignedLong(b.getInt());
        long maxBody = dev + records * (5L + GuestRam.PAGE_SIZE);
        if (body < dev + records * 5L || body > Math.min(maxBody, MAX_BODY_BYTES)) {
            throw new CorruptCheckpointException("epoch " + epoch + " body of " + body + " bytes (expected: " + (dev + records * 5L)
                    + "-" + Math.min(maxBody, MAX_BODY_BYTES) + ")");
        }
        return new Header(epoch, ram, (int) records, (int) dev, (int) body, b.getInt());
    }

    /** Checks the body's CRC32C. */
    public static void verifyBody(Header h, byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body, 0, h.bodyLen());
        if ((int) crc.getValue() != h.crc()) {
            throw new CorruptCheckpointException("epoch " + h.epoch() + " body CRC32C 0x" + Integer.toHexString((int) crc.getValue())
                    + " (expected: 0x" + Integer.toHexString(h.crc()) + ")");
        }
    }
}
