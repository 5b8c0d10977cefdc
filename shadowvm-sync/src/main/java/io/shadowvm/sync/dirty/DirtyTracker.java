package io.shadowvm.sync.dirty;

import io.shadowvm.sync.region.MemoryRegion;

/**
 * Finds the pages of a region that may have changed since the previous {@link #collect} (or, for the first
 * call, since the tracker was created). Called by the sync source with the guest paused, on one thread.
 */
public interface DirtyTracker extends AutoCloseable {
    /** Adds each candidate page once, in ascending order, to {@code out}; then starts a new tracking interval. */
    void collect(MemoryRegion region, PageList out);

    /**
     * True when the first {@link #collect} reports every page that differs from an all-zero page (a hash scan
     * does; write and soft-dirty tracking only see writes made after they started, so the source does a full
     * scan for its first epoch instead).
     */
    boolean firstCollectCoversWholeRegion();

    String name();

    @Override
    default void close() {
    }
}
