package io.shadowvm.sync.dirty;

import io.shadowvm.sync.codec.PageHashing;
import io.shadowvm.sync.region.MemoryRegion;
import java.util.Arrays;

/**
 * Hashes every page (XXH64, in place) and reports those whose hash differs from the previous scan; starts
 * from the hash of a zero page. Works for any region, including a running QEMU guest's RAM file, at the cost
 * of reading the whole region each epoch (~0.25 s/GiB on one core here: see the QEMU probe notes).
 */
public final class HashScanTracker implements DirtyTracker {
    private long[] hashes;

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
        for (int p = 0; p < hashes.length; p++) {
            long h = PageHashing.hash(region, p);
            if (h != hashes[p]) {
                hashes[p] = h;
                out.add(p);
            }
        }
    }

    @Override
    public boolean firstCollectCoversWholeRegion() {
        return true;
    }

    @Override
    public String name() {
        return "hash-scan";
    }
}
