package io.shadowvm.hypervisor.checkpoint;

import java.nio.file.Path;

/** Creates the {@link PageTracker} for a {@link DirtyTracking} mode. */
public final class PageTrackers {
    private PageTrackers() {
    }

    /**
     * @param pid the process that writes the mapped file (its soft-dirty bits are read)
     * @param scratchDir where copy-and-diff keeps its two copies (a tmpfs)
     */
    public static PageTracker create(DirtyTracking mode, GuestRam ram, long pid, Path scratchDir, String name) {
        return switch (mode) {
            case SOFT_DIRTY -> new SoftDirtyTracker(ram, pid);
            case HASH_SCAN -> new HashScanTracker(ram, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
            case COPY_DIFF -> new CopyDiffTracker(ram, scratchDir, name);
        };
    }
}
