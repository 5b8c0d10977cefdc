package io.shadowvm.hypervisor.checkpoint;

/**
 * Finds dirty pages for one epoch. Bitmaps are {@code long[]} with bit {@code p & 63} of word {@code p >>> 6}
 * for page {@code p}. Called only from the checkpointer's thread.
 */
public sealed interface PageTracker extends AutoCloseable permits SoftDirtyTracker, HashScanTracker, CopyDiffTracker {
    /** Inside the pause: marks dirty pages (or, for deferred trackers, snapshots RAM); returns the dirty count or -1 if deferred. */
    int collectInPause(long[] dirty);

    /** Inside the pause, after the dirty pages were copied: starts the next tracking interval. */
    void rearmInPause();

    /** After {@code cont}, for deferred trackers only: marks dirty pages; returns the count. */
    default int collectAfterResume(long[] dirty) {
        throw new IllegalStateException(getClass().getSimpleName() + " is not deferred");
    }

    /** Where the epoch's page contents are read from: the live RAM (in pause) or a private snapshot. */
    GuestRam pageSource();

    @Override
    default void close() {
    }

    static void mark(long[] bitmap, int page) {
        bitmap[page >>> 6] |= 1L << page;
    }

    static boolean isSet(long[] bitmap, int page) {
        return (bitmap[page >>> 6] & (1L << page)) != 0;
    }
}
