package io.shadowvm.sync.source;

import io.shadowvm.core.time.NanoClock;
import io.shadowvm.sync.SyncException;
import io.shadowvm.sync.codec.PageHashing;
import io.shadowvm.sync.dirty.DirtyTracker;
import io.shadowvm.sync.dirty.PageList;
import io.shadowvm.sync.region.MemoryRegion;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The source's per-page bookkeeping and the snapshots built from it, owned by the {@link SenderAgent}'s
 * thread: the XXH64 of every page as last shipped, the epoch in which each page last changed, and the
 * copying of dirty pages (and of the pages a lagging shadow lacks) into an {@link EpochSnapshot}.
 */
final class PageBook {
    private final MemoryRegion region;
    private final DirtyTracker tracker;
    private final long[] criticalRanges;
    private final long[] shippedHash;
    private final long[] pageEpoch;
    private final int[] slotOf;
    private final PageList candidates = new PageList();
    private final EpochSnapshot.Pool pool = new EpochSnapshot.Pool(64);
    private boolean first = true;
    private long scanNs;

    PageBook(MemoryRegion region, DirtyTracker tracker, long[] criticalRanges) {
        this.region = region;
        this.tracker = tracker;
        this.criticalRanges = criticalRanges;
        long pages = region.pageCount();
        if (pages > Integer.MAX_VALUE) {
            throw new SyncException("region too large: " + pages + " pages (expected: < 2^31)");
        }
        this.shippedHash = new long[(int) pages];
        Arrays.fill(shippedHash, PageHashing.ZERO_PAGE_HASH);
        this.pageEpoch = new long[(int) pages];
        this.slotOf = new int[(int) pages];
        Arrays.fill(slotOf, -1);
    }

    int pageCount() {
        return shippedHash.length;
    }

    /** Nanoseconds the dirty tracker took in the last {@link #begin}. */
    long scanNs() {
        return scanNs;
    }

    /**
     * Starts epoch {@code epoch} (guest paused): collects candidates, copies each into the snapshot and keeps
     * those whose hash changed as the epoch's dirty pages (critical ranges first). Call {@link #addLacking}
     * for lagging shadows, then {@link #end}.
     */
    EpochSnapshot begin(long epoch, long takenAtNs, long takenAtMs, byte[] critical, NanoClock clock) {
        EpochSnapshot snap = new EpochSnapshot(epoch, takenAtNs, takenAtMs, critical, pool);
        candidates.clear();
        if (first && !tracker.firstCollectCoversWholeRegion()) {
            tracker.collect(region, candidates); // starts the tracking interval; the full scan below decides
            candidates.clear();
            for (int p = 0; p < shippedHash.length; p++) {
                candidates.add(p);
            }
        } else {
            tracker.collect(region, candidates);
        }
        first = false;
        scanNs = clock.nanoTime() - takenAtNs;
        int n = candidates.size();
        int[] dirty = new int[Math.max(16, n)];
        int dirtyCount = 0;
        for (int i = 0; i < n; i++) {
            int p = (int) candidates.get(i);
            int slot = snap.add(p);
            region.readPage(p, snap.array(slot), snap.offset(slot));
            long h = PageHashing.hash(snap.array(slot), snap.offset(slot));
            if (h == shippedHash[p]) {
                snap.dropLast();
                continue;
            }
            shippedHash[p] = h;
            pageEpoch[p] = epoch;
            slotOf[p] = slot;
            dirty[dirtyCount++] = slot;
        }
        snap.dirtySlots = prioritize(snap, dirty, dirtyCount);
        snap.dirtyCount = dirtyCount;
        return snap;
    }

    /**
     * Adds to the snapshot every page the shadow lacks: changed after {@code s.diffBase} when it resumes this
     * stream, or whose hash differs from its {@code sinkHashes} otherwise. Returns their slots, priority order.
     */
    int[] addLacking(EpochSnapshot snap, ShadowSession s) {
        int[] list = new int[64];
        int count = 0;
        for (int p = 0; p < pageEpoch.length; p++) {
            boolean need = s.sinkHashes != null ? s.sinkHashes[p] != shippedHash[p] : pageEpoch[p] > s.diffBase;
            if (!need) {
                continue;
            }
            int slot = slotOf[p];
            if (slot < 0) {
                slot = snap.add(p);
                region.readPage(p, snap.array(slot), snap.offset(slot));
                slotOf[p] = slot;
            }
            if (count == list.length) {
                list = Arrays.copyOf(list, count * 2);
            }
            list[count++] = slot;
        }
        return Arrays.copyOf(prioritize(snap, list, count), count);
    }

    /** Ends the snapshot's construction; returns the whole-region digest when {@code digest} is set. */
    long end(EpochSnapshot snap, boolean digest) {
        for (int i = 0; i < snap.slots(); i++) {
            slotOf[(int) snap.page(i)] = -1;
        }
        return digest ? PageHashing.digest(shippedHash) : 0;
    }

    /**
     * A catch-up epoch {@code to} for a shadow that holds epoch {@code from}: the newest version of every page
     * dirtied in epochs {@code from+1 .. to}, taken from the kept shared snapshots (oldest first in
     * {@code history}). Returns {@code null} when one of those snapshots is no longer kept.
     */
    EpochSnapshot bridge(Iterable<EpochSnapshot> history, Iterator<EpochSnapshot> newestFirst, long from, long to) {
        EpochSnapshot newest = null;
        long expect = from + 1;
        for (EpochSnapshot h : history) {
            if (h.epoch > from && h.epoch <= to) {
                if (h.epoch != expect) {
                    return null;
                }
                expect++;
                newest = h;
            }
        }
        if (newest == null || expect != to + 1) {
            return null;
        }
        EpochSnapshot b = new EpochSnapshot(to, newest.takenAtNs, newest.takenAtMs, newest.critical, pool);
        b.digest = newest.digest;
        int[] list = new int[64];
        int count = 0;
        while (newestFirst.hasNext()) {
            EpochSnapshot h = newestFirst.next();
            if (h.epoch <= from || h.epoch > to) {
                continue;
            }
            for (int i = 0; i < h.dirtyCount; i++) {
                int src = h.dirtySlots[i];
                int p = (int) h.page(src);
                if (slotOf[p] >= 0) {
                    continue; // a newer epoch already gave this page
                }
                int slot = b.add(p);
                System.arraycopy(h.array(src), h.offset(src), b.array(slot), b.offset(slot), MemoryRegion.PAGE_SIZE);
                slotOf[p] = slot;
                if (count == list.length) {
                    list = Arrays.copyOf(list, count * 2);
                }
                list[count++] = slot;
            }
        }
        end(b, false);
        b.dirtySlots = prioritize(b, list, count);
        b.dirtyCount = count;
        b.refs = 1;
        return b;
    }

    /** Orders slots: pages inside critical ranges first, then the rest, each in ascending page order. */
    int[] prioritize(EpochSnapshot snap, int[] slots, int count) {
        if (criticalRanges.length == 0) {
            return slots;
        }
        int[] out = new int[Math.max(count, 1)];
        int k = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < count; i++) {
                boolean crit = isCritical(snap.page(slots[i]));
                if (crit == (pass == 0)) {
                    out[k++] = slots[i];
                }
            }
        }
        return out;
    }

    private boolean isCritical(long page) {
        for (int i = 0; i < criticalRanges.length; i += 2) {
            if (page >= criticalRanges[i] && page < criticalRanges[i] + criticalRanges[i + 1]) {
                return true;
            }
        }
        return false;
    }
}
