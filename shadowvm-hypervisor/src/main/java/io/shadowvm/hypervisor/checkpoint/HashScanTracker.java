package io.shadowvm.hypervisor.checkpoint;

import io.shadowvm.hypervisor.HypervisorException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hashes all pages in the pause and reports those whose 64-bit hash changed; the first collect reports every page.
 * With {@code threads > 1} the page range is split into slices aligned to 64 pages (one bitmap word never has two
 * writers), hashed in parallel: the pause still grows with RAM, but divided by the cores left while the guest is
 * stopped.
 */
public final class HashScanTracker implements PageTracker {
    private final GuestRam ram;
    private final long[] hashes;
    private final int threads;
    private final ExecutorService pool;
    private boolean first = true;

    public HashScanTracker(GuestRam ram) {
        this(ram, 1);
    }

    public HashScanTracker(GuestRam ram, int threads) {
        if (threads < 1 || threads > 64) {
            throw new HypervisorException("invalid hash-scan threads: " + threads + " (expected: 1-64)");
        }
        this.ram = ram;
        this.hashes = new long[ram.pages()];
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "hash-scan");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public int collectInPause(long[] dirty) {
        int pages = hashes.length;
        int n;
        if (pool == null) {
            n = scan(0, pages, dirty);
        } else {
            int words = (pages + 63) >>> 6;
            int perSlice = ((words + threads - 1) / threads) << 6;
            List<Future<Integer>> parts = new ArrayList<>(threads - 1);
            for (int i = 1; i < threads; i++) {
                int from = Math.min(pages, i * perSlice);
                int to = Math.min(pages, from + perSlice);
                parts.add(pool.submit(() -> scan(from, to, dirty)));
            }
            n = scan(0, Math.min(pages, perSlice), dirty);
            try {
                for (Future<Integer> f : parts) {
                    n += f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HypervisorException("interrupted during the hash scan", e);
            } catch (ExecutionException e) {
                throw new HypervisorException("hash scan failed: " + e.getCause(), e.getCause());
            }
        }
        first = false;
        return n;
    }

    private int scan(int from, int to, long[] dirty) {
        int n = 0;
        boolean all = first;
        for (int p = from; p < to; p++) {
            long h = ram.hashPage(p);
            if (all || h != hashes[p]) {
                hashes[p] = h;
                dirty[p >>> 6] |= 1L << p;
                n++;
            }
        }
        return n;
    }

    @Override
    public void rearmInPause() {
        // the hashes were updated while collecting
    }

    @Override
    public GuestRam pageSource() {
        return ram;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
