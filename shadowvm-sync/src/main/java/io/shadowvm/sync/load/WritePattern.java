package io.shadowvm.sync.load;

import io.shadowvm.sync.SyncException;
import io.shadowvm.sync.region.MemoryRegion;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How a benchmark dirties pages each epoch.
 *
 * <ul>
 *   <li>{@code RANDOM}: random pages overwritten with random bytes (incompressible: the worst case);</li>
 *   <li>{@code SEQUENTIAL}: a run of consecutive pages (continuing where the last epoch stopped), each with
 *       a 64-byte record written at a position that advances every epoch (append-like small changes);</li>
 *   <li>{@code STRUCTURED}: random pages of structured data (records of counters, flags and text), of which
 *       a few 8-byte fields change (counters incremented, a timestamp updated).</li>
 * </ul>
 */
public enum WritePattern {
    RANDOM,
    SEQUENTIAL,
    STRUCTURED;

    public static WritePattern parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SyncException("unknown pattern: '" + s + "' (expected: random, sequential or structured)");
        }
    }

    /** Fills the region with this pattern's initial contents (structured records; random data for RANDOM). */
    public void fill(MemoryRegion r, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] page = new byte[MemoryRegion.PAGE_SIZE];
        for (long p = 0; p < r.pageCount(); p++) {
            if (this == RANDOM) {
                rnd.nextBytes(page);
            } else {
                structuredPage(page, p, rnd);
            }
            r.writePage(p, page, 0);
        }
    }

    static void structuredPage(byte[] page, long p, SplittableRandom rnd) {
        // 64-byte records: id, counter, flags, a short name, zero padding
        for (int off = 0; off < page.length; off += 64) {
            long id = p * 64 + off / 64;
            putLong(page, off, id);
            putLong(page, off + 8, rnd.nextInt(1000));
            putLong(page, off + 16, rnd.nextInt(4));
            for (int i = 0; i < 16; i++) {
                page[off + 24 + i] = (byte) ('a' + (id + i) % 26);
            }
            for (int i = 40; i < 64; i++) {
                page[off + i] = 0;
            }
        }
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /** Dirties {@code pages} pages of {@code r} for epoch {@code epoch}; {@code scratch} is one page. */
    public void dirty(MemoryRegion r, long pages, long epoch, SplittableRandom rnd, byte[] scratch) {
        long n = r.pageCount();
        switch (this) {
            case RANDOM -> {
                for (long i = 0; i < pages; i++) {
                    rnd.nextBytes(scratch);
                    r.writePage(rnd.nextLong(n), scratch, 0);
                }
            }
            case SEQUENTIAL -> {
                long start = (epoch * pages) % n;
                int at = (int) ((epoch * 64) % (MemoryRegion.PAGE_SIZE - 64));
                for (long i = 0; i < pages; i++) {
                    long p = (start + i) % n;
                    r.readPage(p, scratch, 0);
                    for (int k = 0; k < 64; k++) {
                        scratch[at + k] = (byte) (epoch + i + k);
                    }
                    r.writePage(p, scratch, 0);
                }
            }
            case STRUCTURED -> {
                for (long i = 0; i < pages; i++) {
                    long p = rnd.nextLong(n);
                    r.readPage(p, scratch, 0);
                    for (int k = 0; k < 4; k++) {
                        int rec = rnd.nextInt(MemoryRegion.PAGE_SIZE / 64) * 64;
                        long c = getLong(scratch, rec + 8) + 1 + rnd.nextInt(3);
                        putLong(scratch, rec + 8, c);
                        putLong(scratch, rec + 16, epoch);
                    }
                    r.writePage(p, scratch, 0);
                }
            }
            default -> throw new IllegalStateException(name());
        }
    }

    private static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
