package io.shadowvm.sync.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * XOR + run-length delta of one 4 KiB page against its previous version (XBZRLE's format).
 *
 * <pre>
 *  delta := ( zeroRun:uleb128  dataRun:uleb128  newBytes[dataRun] )*   [ trailing zero run omitted ]
 * </pre>
 *
 * A zero run counts bytes equal in both versions (XOR is zero); a data run is followed by the new bytes. The
 * encoder works 8 bytes at a time: it skips equal words and finds run edges with trailing/leading-zero counts,
 * so a data run ends only at a fully equal 8-byte word (it may carry a few equal bytes, which costs less than
 * splitting the run). It stops as soon as the output would pass {@code limit} and returns {@link #TOO_BIG},
 * so a page that changed wholesale costs little before falling back to {@code RAW}.
 */
public final class PageDelta {
    public static final int PAGE_SIZE = 4096;
    /** Returned by {@link #encode} when the delta would exceed the limit. */
    public static final int TOO_BIG = -1;
    private static final int WORDS = PAGE_SIZE / Long.BYTES;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private PageDelta() {
    }

    /**
     * Encodes the delta from {@code old} to {@code cur} into {@code out}.
     *
     * @return the encoded length (0 when the pages are equal), or {@link #TOO_BIG} when it would pass
     *     {@code limit} bytes; {@code out} must have room for {@code limit} bytes at {@code outOff}
     */
    public static int encode(byte[] old, int oldOff, byte[] cur, int curOff, byte[] out, int outOff, int limit) {
        int pos = outOff;
        int end = outOff + limit;
        int runStart = 0; // byte offset where the current zero run started
        int w = 0;
        while (w < WORDS) {
            // zero run: skip equal words, four at a time while possible
            long x = 0;
            while (w <= WORDS - 4) {
                int o = oldOff + (w << 3);
                int c = curOff + (w << 3);
                if (((long) LONGS.get(old, o) ^ (long) LONGS.get(cur, c))
                    != 0 || ((long) LONGS.get(old, o + 8) ^ (long) LONGS.get(cur, c + 8))
                    != 0 || ((long) LONGS.get(old, o + 16) ^ (long) LONGS.get(cur, c + 16))
                    != 0 || ((long) LONGS.get(old, o + 24) ^ (long) LONGS.get(cur, c + 24)) != 0) {
                    break;
                }
                w += 4;
            }
            while (w < WORDS) {
                x = (long) LONGS.get(old, oldOff + (w << 3)) ^ (long) LONGS.get(cur, curOff + (w << 3));
                if (x != 0) {
                    break;
                }
                w++;
            }
            if (w == WORDS) {
                break; // trailing zero run is omitted
            }
            int dataStart = (w << 3) + (Long.numberOfTrailingZeros(x) >>> 3);
            // data run: extend over words that differ
            long last = x;
            w++;
            while (w < WORDS) {
                x = (long) LONGS.get(old, oldOff + (w << 3)) ^ (long) LONGS.get(cur, curOff + (w << 3));
                if (x == 0) {
                    break;
                }
                last = x;
                w++;
            }
            int dataEnd = (w << 3) - (Long.numberOfLeadingZeros(last) >>> 3);
            int zeroRun = dataStart - runStart;
            int dataRun = dataEnd - dataStart;
            if (pos + ulebSize(zeroRun) + ulebSize(dataRun) + dataRun > end) {
                return TOO_BIG;
            }
            pos = putUleb(out, pos, zeroRun);
            pos = putUleb(out, pos, dataRun);
            if (dataRun <= 16) {
                for (int i = 0; i < dataRun; i++) {
                    out[pos + i] = cur[curOff + dataStart + i];
                }
            } else {
                System.arraycopy(cur, curOff + dataStart, out, pos, dataRun);
            }
            pos += dataRun;
            runStart = dataEnd;
        }
        return pos - outOff;
    }

    /**
     * Applies a delta to {@code page} in place (it holds the old version and ends with the new one).
     *
     * @throws CorruptPageException if the delta is malformed or runs past the page; the page may then be
     *     partly patched, so callers decode into a scratch copy
     */
    public static void decode(byte[] delta, int off, int len, byte[] page, int pageOff) {
        int pos = off;
        int end = off + len;
        int at = 0;
        while (pos < end) {
            long z = 0;
            int shift = 0;
            int b;
            do {
                if (pos >= end || shift > 14) {
                    throw new CorruptPageException("malformed zero run at delta byte " + (pos - off));
                }
                b = delta[pos++];
                z |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            long d = 0;
            shift = 0;
            do {
                if (pos >= end || shift > 14) {
                    throw new CorruptPageException("malformed data run at delta byte " + (pos - off));
                }
                b = delta[pos++];
                d |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            if (at + z + d > PAGE_SIZE || pos + d > end) {
                throw new CorruptPageException("delta run out of bounds: page offset " + (at + z) + " + " + d
                    + " (expected: <= " + PAGE_SIZE + "), " + (end - pos) + " delta bytes left");
            }
            at += (int) z;
            System.arraycopy(delta, pos, page, pageOff + at, (int) d);
            at += (int) d;
            pos += (int) d;
        }
    }

    /** True when the page is all zero bytes. */
    public static boolean isZero(byte[] page, int off) {
        for (int w = 0; w < WORDS; w += 4) {
            int o = off + (w << 3);
            if (((long) LONGS.get(page, o) | (long) LONGS.get(page, o + 8)
                | (long) LONGS.get(page, o + 16) | (long) LONGS.get(page, o + 24)) != 0) {
                return false;
            }
        }
        return true;
    }

    static int ulebSize(int v) {
        return v < 0x80 ? 1 : v < 0x4000 ? 2 : 3;
    }

    static int putUleb(byte[] out, int pos, int v) {
        while (v >= 0x80) {
            out[pos++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        out[pos++] = (byte) v;
        return pos;
    }
}
