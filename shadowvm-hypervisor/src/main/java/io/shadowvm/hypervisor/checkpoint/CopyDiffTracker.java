package io.shadowvm.hypervisor.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies all RAM into a private staging file in the pause (a memcpy, ~19 ms per 128 MiB), and after {@code cont}
 * compares the staging copy with the previous epoch's copy page by page. Costs twice the guest's RAM in tmpfs.
 */
public final class CopyDiffTracker implements PageTracker {
    private final GuestRam ram;
    private final GuestRam stage;
    private final GuestRam prev;
    private final Path stageFile;
    private final Path prevFile;
    private boolean first = true;

    public CopyDiffTracker(GuestRam ram, Path scratchDir, String name) {
        this.ram = ram;
        this.stageFile = scratchDir.resolve(name + ".stage");
        this.prevFile = scratchDir.resolve(name + ".prev");
        this.stage = GuestRam.openWritable(stageFile, ram.sizeBytes());
        this.prev = GuestRam.openWritable(prevFile, ram.sizeBytes());
    }

    @Override
    public int collectInPause(long[] dirty) {
        ram.copyAllTo(stage);
        return -1;
    }

    @Override
    public void rearmInPause() {
        // nothing: the staging copy is the whole interval's state
    }

    @Override
    public int collectAfterResume(long[] dirty) {
        int n = 0;
        for (int p = 0; p < ram.pages(); p++) {
            if (first || !stage.samePage(p, prev)) {
                PageTracker.mark(dirty, p);
                n++;
            }
        }
        first = false;
        stage.copyAllTo(prev);
        return n;
    }

    @Override
    public GuestRam pageSource() {
        return stage;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(stageFile);
            Files.deleteIfExists(prevFile);
        } catch (IOException e) {
            throw new io.shadowvm.hypervisor.HypervisorException("cannot remove " + stageFile + ": " + e.getMessage(), e);
        }
    }
}
