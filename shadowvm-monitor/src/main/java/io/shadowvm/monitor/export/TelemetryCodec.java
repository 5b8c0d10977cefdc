package io.shadowvm.monitor.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Binary encoding of a {@link TelemetryBatch}, format version 1, big-endian. The controller carries it
 * as an opaque {@code bytes} field over gRPC, so this format, not protobuf, defines a batch.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                        magic 'SVTM'                           |  0
 * +---------------+---------------+-------------------------------+
 * |   version=1   |  flags (0)    |          reserved (0)         |  4
 * +---------------+---------------+-------------------------------+
 * |                     body length (bytes)                       |  8
 * +---------------------------------------------------------------+
 * |                     CRC32C of the body                        | 12
 * +---------------------------------------------------------------+
 * body (16 ..):
 *   source       u16 length + UTF-8
 *   sequence     i64
 *   created      i64 epoch ms
 *   names        u16 count, then per name: u16 length + UTF-8
 *   samples      u32 count, then per sample (21 bytes):
 *                  metric u8 | subject u16 | peer u16 (0xFFFF = none) | epoch ms i64 | value f64 (IEEE 754)
 * </pre>
 *
 * The decoder checks magic, version, the body length against {@link #MAX_BODY_BYTES} before allocating,
 * the CRC, and every count and index against what the body can hold; a bad batch is rejected whole with
 * a {@link TelemetryFormatException} naming the value and its bound.
 */
public final class TelemetryCodec {
    public static final int MAGIC = 0x5356544D; // "SVTM"
    public static final byte VERSION = 1;
    public static final int HEADER_BYTES = 16;
    public static final int SAMPLE_BYTES = 21;
    public static final int MAX_BODY_BYTES = 32 << 20;
    public static final int MAX_NAME_BYTES = 255;

    private TelemetryCodec() {
    }

    public static byte[] encode(TelemetryBatch b) {
        byte[] source = utf8(b.source());
        List<byte[]> names = new ArrayList<>(b.names().size());
        int body = 2 + source.length + 8 + 8 + 2 + 4 + b.size() * SAMPLE_BYTES;
        for (String n : b.names()) {
            byte[] u = utf8(n);
            names.add(u);
            body += 2 + u.length;
        }
        if (body > MAX_BODY_BYTES) {
            throw new TelemetryFormatException("telemetry body too large: " + body + " bytes (expected: at most "
                + MAX_BODY_BYTES + ")");
        }
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + body).order(ByteOrder.BIG_ENDIAN);
        out.putInt(MAGIC).put(VERSION).put((byte) 0).putShort((short) 0).putInt(body).putInt(0);
        out.putShort((short) source.length).put(source);
        out.putLong(b.sequence()).putLong(b.createdEpochMs());
        out.putShort((short) names.size());
        for (byte[] u : names) {
            out.putShort((short) u.length).put(u);
        }
        out.putInt(b.size());
        for (int i = 0; i < b.size(); i++) {
            out.put(b.metrics()[i]);
            out.putShort((short) b.subjects()[i]);
            out.putShort((short) (b.peers()[i] < 0 ? 0xFFFF : b.peers()[i]));
            out.putLong(b.timestamps()[i]);
            out.putDouble(b.values()[i]);
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), HEADER_BYTES, body);
        out.putInt(12, (int) crc.getValue());
        return out.array();
    }

    public static TelemetryBatch decode(byte[] data) {
        if (data.length < HEADER_BYTES) {
            throw new TelemetryFormatException("telemetry batch too short: " + data.length + " bytes (expected: at least "
                + HEADER_BYTES + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        int magic = in.getInt();
        if (magic != MAGIC) {
            throw new TelemetryFormatException("bad telemetry magic: 0x" + Integer.toHexString(magic) + " (expected: 0x"
                + Integer.toHexString(MAGIC) + ")");
        }
        byte version = in.get();
        if (version != VERSION) {
            throw new TelemetryFormatException("unsupported telemetry version: " + version + " (expected: " + VERSION + ")");
        }
        in.get();
        in.getShort();
        int body = in.getInt();
        if (body < 0 || body > MAX_BODY_BYTES || body != data.length - HEADER_BYTES) {
            throw new TelemetryFormatException("invalid telemetry body length: " + body + " (expected: "
                + (data.length - HEADER_BYTES) + ", at most " + MAX_BODY_BYTES + ")");
        }
        int expectedCrc = in.getInt();
        CRC32C crc = new CRC32C();
        crc.update(data, HEADER_BYTES, body);
        if ((int) crc.getValue() != expectedCrc) {
            throw new TelemetryFormatException("telemetry CRC mismatch: 0x" + Integer.toHexString((int) crc.getValue())
                + " (expected: 0x" + Integer.toHexString(expectedCrc) + ")");
        }
        String source = string(in);
        long sequence = need(in, 16).getLong();
        long created = in.getLong();
        int nameCount = Short.toUnsignedInt(need(in, 2).getShort());
        List<String> names = new ArrayList<>(nameCount);
        for (int i = 0; i < nameCount; i++) {
            names.add(string(in));
        }
        int n = need(in, 4).getInt();
        if (n < 0 || (long) n * SAMPLE_BYTES != in.remaining()) {
            throw new TelemetryFormatException("invalid sample count: " + n + " (expected: " + in.remaining() / SAMPLE_BYTES
                + " for " + in.remaining() + " remaining bytes)");
        }
        byte[] metrics = new byte[n];
        int[] subjects = new int[n];
        int[] peers = new int[n];
        long[] ts = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            metrics[i] = in.get();
            subjects[i] = Short.toUnsignedInt(in.getShort());
            int p = Short.toUnsignedInt(in.getShort());
            peers[i] = p == 0xFFFF ? -1 : p;
            ts[i] = in.getLong();
            values[i] = in.getDouble();
        }
        return new TelemetryBatch(source, sequence, created, names, metrics, subjects, peers, ts, values);
    }

    private static ByteBuffer need(ByteBuffer in, int bytes) {
        if (in.remaining() < bytes) {
            throw new TelemetryFormatException("truncated telemetry body at offset " + in.position() + ": need " + bytes
                + " bytes (expected: at most " + in.remaining() + ")");
        }
        return in;
    }

    private static String string(ByteBuffer in) {
        int len = Short.toUnsignedInt(need(in, 2).getShort());
        if (len > MAX_NAME_BYTES) {
            throw new TelemetryFormatException("invalid name length: " + len + " (expected: 0-" + MAX_NAME_BYTES + ")");
        }
        byte[] b = new byte[len];
        need(in, len).get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        if (u.length > MAX_NAME_BYTES) {
            throw new TelemetryFormatException("name too long: " + u.length + " bytes (expected: at most "
                + MAX_NAME_BYTES + "): " + s.substring(0, 32) + "...");
        }
        return u;
    }
}
