package io.shadowvm.agent.runtime;

import io.shadowvm.sync.codec.PageHashing;
import io.shadowvm.sync.dirty.DirtyTracker;
import io.shadowvm.sync.dirty.HashScanTracker;
import io.shadowvm.sync.dirty.PageList;
import io.shadowvm.sync.region.MappedFileRegion;
import io.shadowvm.sync.region.MemoryRegion;
import java.nio.file.Path;

/**
 * A hash-scan dirty tracker (XXH64 of every 4 KiB page, as shadowvm-sync's {@code HashScanTracker}) that also
 * yields the whole-region state digest of the scan: XXH64 over the big-endian array of page hashes, the same
 * digest shadowvm-sync's sinks verify ({@link PageHashing#digest}). The runtime calls {@link #prescan} with the
 * guest paused, puts the digest into the epoch's critical blob, then calls {@code takeEpoch}, whose
 * {@link #collect} hands back the pages that prescan found dirty without reading the region again: the digest
 * costs one XXH64 over 8 bytes per page (32 KiB for a 16 MiB guest), not a second scan.
 *
 * <p>One per sync source, on the thread that takes its epochs (the source calls {@code collect} from
 * {@code takeEpoch} on the caller's thread).
 */
final class DigestScanTracker implements DirtyTracker {
    private final HashScanTracker scan = new HashScanTracker();
    private final PageList pending = new PageList();
    private boolean prescanned;

    /** Scans {@code region} (guest paused), remembers the dirty pages for the next {@link #collect}, returns the digest. */
    long prescan(MemoryRegion region) {
        pending.clear();
        scan.collect(region, pending);
        prescanned = true;
        return scan.digest();
    }

    @Override
    public void collect(MemoryRegion region, PageList out) {
        if (!prescanned) {
            pending.clear();
            scan.collect(region, pending);
        }
        for (int i = 0; i < pending.size(); i++) {
            out.add(pending.get(i));
        }
        pending.clear();
        prescanned = false;
    }

    @Override
    public boolean firstCollectCoversWholeRegion() {
        return true;
    }

    @Override
    public String name() {
        return "hash-scan+digest";
    }

    /** The state digest of a whole file (e.g. a replica about to be promoted): reads every page once. */
    static long digestOf(Path file) {
        try (MappedFileRegion r = MappedFileRegion.openReadOnly(file)) {
            return new DigestScanTracker().prescan(r);
        }
    }
}
