package io.shadowvm.monitor.probe;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The probe frame (format version 1), the same on TCP and UDP, big-endian:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                        magic 'SVPB'                           |  0
 * +---------------+---------------+-------------------------------+
 * |   version=1   |     type      |           reserved (0)        |  4
 * +---------------+---------------+-------------------------------+
 * |                 frame length (bytes, incl. header)            |  8
 * +---------------------------------------------------------------+
 * |                 peer id (prober's index of the peer)          | 12
 * +---------------------------------------------------------------+
 * |                         sequence (u64)                        | 16
 * +---------------------------------------------------------------+
 * |            prober send time (ns, prober's monotonic clock)    | 24
 * +---------------------------------------------------------------+
 * |            responder receive time (epoch µs, 0 in requests)   | 32
 * +---------------------------------------------------------------+
 * |            CRC32C of bytes 0..39 (with this field = 0)        | 40
 * +---------------------------------------------------------------+
 * |            padding up to frame length (zeros, not checked)    | 44
 * +---------------------------------------------------------------+
 * </pre>
 *
 * A responder echoes the frame with type {@code ECHO_REPLY}, the receive time filled in and a new CRC.
 *
 * <p>Bandwidth estimate (on demand, TCP only): a {@code BULK_START} frame (header only) whose sequence field
 * is the number of bytes that follow ({@code 1..}{@value #MAX_BULK_BYTES}); the responder discards them and
 * answers {@code BULK_DONE} (header only) with the byte count in the sequence field and, in the receive-time
 * field, the microseconds from the {@code BULK_START} to the last byte.
 * The prober computes RTT from its own send time carried in the reply, so it keeps no per-probe state but
 * the expected sequence. The CRC covers the header only: padding exists to make the probe as large as a
 * configured payload (bandwidth-delay effects), not to carry data.
 */
public final class ProbeFrame {
    public static final int MAGIC = 0x53565042; // "SVPB"
    public static final byte VERSION = 1;
    public static final byte ECHO_REQUEST = 1;
    public static final byte ECHO_REPLY = 2;
    public static final byte BULK_START = 3;
    public static final byte BULK_DONE = 4;
    /** The largest timed transfer a responder accepts. */
    public static final long MAX_BULK_BYTES = 1L << 30;
    public static final int HEADER_LENGTH = 44;
    /** Largest frame: a UDP datagram's payload limit. */
    public static final int MAX_LENGTH = 65_507;

    static final int OFF_MAGIC = 0;
    static final int OFF_VERSION = 4;
    static final int OFF_TYPE = 5;
    static final int OFF_LENGTH = 8;
    static final int OFF_PEER = 12;
    static final int OFF_SEQ = 16;
    static final int OFF_SEND_NS = 24;
    static final int OFF_RECV_US = 32;
    static final int OFF_CRC = 40;

    private ProbeFrame() {
    }

    /** Checks a frame length against the bounds; returns it. */
    public static int checkLength(int length) {
        if (length < HEADER_LENGTH || length > MAX_LENGTH) {
            throw new ProbeFrameException("invalid probe frame length: " + length + " (expected: " + HEADER_LENGTH
                + "-" + MAX_LENGTH + ")");
        }
        return length;
    }

    /** Writes a request header at {@code buf}'s absolute index {@code at}; padding is left as it is. */
    public static void writeRequest(ByteBuffer buf, int at, int length, int peer, long seq, long sendNs,
                                    CRC32C crc) {
        buf.putInt(at + OFF_MAGIC, MAGIC);
        buf.put(at + OFF_VERSION, VERSION);
        buf.put(at + OFF_TYPE, ECHO_REQUEST);
        buf.putShort(at + 6, (short) 0);
        buf.putInt(at + OFF_LENGTH, length);
        buf.putInt(at + OFF_PEER, peer);
        buf.putLong(at + OFF_SEQ, seq);
        buf.putLong(at + OFF_SEND_NS, sendNs);
        buf.putLong(at + OFF_RECV_US, 0);
        buf.putInt(at + OFF_CRC, crc(buf, at, crc));
    }

    /** Writes a header-only frame of {@code type} (bulk start/done) with {@code seq} and {@code timeField}. */
    public static void writeControl(ByteBuffer buf, int at, byte type, long seq, long timeField, CRC32C crc) {
        buf.putInt(at + OFF_MAGIC, MAGIC);
        buf.put(at + OFF_VERSION, VERSION);
        buf.put(at + OFF_TYPE, type);
        buf.putShort(at + 6, (short) 0);
        buf.putInt(at + OFF_LENGTH, HEADER_LENGTH);
        buf.putInt(at + OFF_PEER, 0);
        buf.putLong(at + OFF_SEQ, seq);
        buf.putLong(at + OFF_SEND_NS, 0);
        buf.putLong(at + OFF_RECV_US, timeField);
        buf.putInt(at + OFF_CRC, crc(buf, at, crc));
    }

    /** The type byte of the frame at {@code at} (unvalidated). */
    public static byte type(ByteBuffer buf, int at) {
        return buf.get(at + OFF_TYPE);
    }

    /** Turns the request at {@code at} into a reply in place. */
    public static void toReply(ByteBuffer buf, int at, long recvEpochUs, CRC32C crc) {
        buf.put(at + OFF_TYPE, ECHO_REPLY);
        buf.putLong(at + OFF_RECV_US, recvEpochUs);
        buf.putInt(at + OFF_CRC, crc(buf, at, crc));
    }

    /**
     * Validates the header at {@code at} (at least {@link #HEADER_LENGTH} bytes present) and returns its
     * frame length, or a negative {@link Problem} code; never throws on bad input.
     */
    public static int validate(ByteBuffer buf, int at, byte expectedType, CRC32C crc) {
        if (buf.getInt(at + OFF_MAGIC) != MAGIC) {
            return Problem.BAD_MAGIC;
        }
        if (buf.get(at + OFF_VERSION) != VERSION) {
            return Problem.BAD_VERSION;
        }
        if (buf.get(at + OFF_TYPE) != expectedType) {
            return Problem.BAD_TYPE;
        }
        int length = buf.getInt(at + OFF_LENGTH);
        if (length < HEADER_LENGTH || length > MAX_LENGTH) {
            return Problem.BAD_LENGTH;
        }
        if (buf.getInt(at + OFF_CRC) != crc(buf, at, crc)) {
            return Problem.BAD_CRC;
        }
        return length;
    }

    public static int peer(ByteBuffer buf, int at) {
        return buf.getInt(at + OFF_PEER);
    }

    public static long sequence(ByteBuffer buf, int at) {
        return buf.getLong(at + OFF_SEQ);
    }

    public static long sendNs(ByteBuffer buf, int at) {
        return buf.getLong(at + OFF_SEND_NS);
    }

    public static long recvEpochUs(ByteBuffer buf, int at) {
        return buf.getLong(at + OFF_RECV_US);
    }

    /** CRC32C of header bytes 0..39 followed by four zero bytes (the CRC field); leaves position/limit as found. */
    private static int crc(ByteBuffer buf, int at, CRC32C crc) {
        int position = buf.position();
        int limit = buf.limit();
        buf.limit(at + OFF_CRC).position(at);
        crc.reset();
        crc.update(buf);
        crc.update(0);
        crc.update(0);
        crc.update(0);
        crc.update(0);
        buf.limit(limit).position(position);
        return (int) crc.getValue();
    }

    /** Negative results of {@link #validate}. */
    public static final class Problem {
        public static final int BAD_MAGIC = -1;
        public static final int BAD_VERSION = -2;
        public static final int BAD_TYPE = -3;
        public static final int BAD_LENGTH = -4;
        public static final int BAD_CRC = -5;

        private Problem() {
        }
    }
}
