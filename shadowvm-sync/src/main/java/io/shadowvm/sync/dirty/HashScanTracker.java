package io.shadowvm.sync.dirty;

import io.shadowvm.sync.SyncException;
import io.shadowvm.sync.codec.PageHashing;
import io.shadowvm.sync.region.MemoryRegion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hashes every page (XXH64, in place) and reports those whose hash differs from the previous scan; starts
 * from the hash of a zero page. Works for any region, including a running QEMU guest's RAM file, at the cost
 * of reading the whole region each epoch (~0.25 s/GiB on one core: see the QEMU probe notes). With several
 * threads the region is split into as many ranges, hashed in parallel (the guest is paused meanwhile, so
 * using more cores shortens the pause); results are merged in page order.
 */
public final class HashScanTracker implements DirtyTracker {
    private final int threads;
    private final ExecutorService pool;
    private final PageList[] parts;
    private long[] hashes;

    /** A single-threaded scan. */
    public HashScanTracker() {
        this(1);
    }

    /** A scan split over {@code threads} threads (the caller's plus {@code threads - 1} daemon threads). */
    public HashScanTracker(int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("invalid thread count: " + threads + " (expected: 1-256)");
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "shadowvm-hash-scan");
            t.setDaemon(true);
            return t;
        });
        this.parts = new PageList[threads];
        for (int i = 0; i < threads; i++) {
            parts[i] = new PageList();
        }
    }

    /** A scan using up to 4 of this machine's processors. */
    public static HashScanTracker parallel() {
        return new HashScanTracker(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    @Override
    public void collect(MemoryRegion region, PageList out) {
        long pages = region.pageCount();
        if (hashes == null) {
            if (pages > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("region too large for a hash scan: " + pages + " pages (expected: < 2^31)");
            }
            hashes = new long[(int) pages];
            Arrays.fill(hashes, PageHashing.ZERO_PAGE_HASH);
        }
        if (pool == null || hashes.length < threads * 1024) {
            scan(region, 0, hashes.length, out);
            return;
        }
        int per = (hashes.length + threads - 1) / threads;
        List<Future<?>> futures = new ArrayList<>(threads - 1);
        for (int i = 1; i < threads; i++) {
            int from = Math.min(hashes.length, i * per);
            int to = Math.min(hashes.length, from + per);
            PageList part = parts[i];
            part.clear();
            futures.add(pool.submit(() -> scan(region, from, to, part)));
        }
        parts[0].clear();
        scan(region, 0, Math.min(per, hashes.length), parts[0]);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SyncException("interrupted during a hash scan");
            } catch (ExecutionException e) {
                throw new SyncException("hash scan failed: " + e.getCause(), e.getCause());
            }
        }
        for (PageList part : parts) {
            for (int i = 0; i < part.size(); i++) {
                out.add(part.get(i));
            }
        }
    }

    private void scan(MemoryRegion region, int from, int to, PageList out) {
        for (int p = from; p < to; p++) {
            long h = PageHashing.hash(region, p);
            if (h != hashes[p]) {
                hashes[p] = h;
                out.add(p);
            }
        }
    }

    /**
     * The digest of the region as of the last {@link #collect}: XXH64 over the big-endian array of page hashes,
     * the same digest the sinks verify ({@link PageHashing#digest}); one hash over 8 bytes per page, no re-read.
     */
    public long digest() {
        if (hashes == null) {
            throw new IllegalStateException("no scan yet: collect first");
        }
        return PageHashing.digest(hashes);
    }

    @Override
    public boolean firstCollectCoversWholeRegion() {
        return true;
    }

    @Override
    public String name() {
        return threads == 1 ? "hash-scan" : "hash-scan(" + threads + " threads)";
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
