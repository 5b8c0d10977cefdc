package io.shadowvm.hypervisor.process;

import io.shadowvm.core.time.NanoClock;
import io.shadowvm.hypervisor.checkpoint.DeviceStateBlob;
import io.shadowvm.hypervisor.checkpoint.DirtyTracking;
import io.shadowvm.hypervisor.checkpoint.EpochFrame;
import io.shadowvm.hypervisor.checkpoint.EpochResult;
import io.shadowvm.hypervisor.checkpoint.GuestRam;
import io.shadowvm.hypervisor.checkpoint.PageTrackers;
import io.shadowvm.hypervisor.checkpoint.PageTracker;
import java.util.Arrays;

/**
 * Epoch checkpoints of a {@link ProcessGuest}: SIGSTOP (all threads stopped) → dirty pages of the state file into the
 * {@link EpochFrame} with a process-state blob as the critical state → SIGCONT. Single caller thread.
 */
public final class ProcessCheckpointer implements AutoCloseable {
    private final ProcessGuest guest;
    private final NanoClock clock;
    private final GuestRam ram;
    private final PageTracker tracker;
    private final long[] dirty;
    private final EpochFrame frame = new EpochFrame();
    private boolean retainDirty;

    public ProcessCheckpointer(ProcessGuest guest, DirtyTracking mode, NanoClock clock) {
        this.guest = guest;
        this.clock = clock;
        this.ram = GuestRam.openReadOnly(guest.stateFile(), guest.stateBytes());
        this.tracker = PageTrackers.create(mode, ram, guest.pid(), guest.stateFile().getParent(), "pg-" + guest.pid());
        this.dirty = new long[(ram.pages() + 63) >>> 6];
    }

    public EpochResult checkpoint(long epoch) {
        if (!retainDirty) {
            Arrays.fill(dirty, 0L);
        }
        retainDirty = false;
        long t0 = clock.nanoTime();
        guest.pause();
        long t1 = clock.nanoTime();
        byte[] blob = DeviceStateBlob.processState(epoch, guest.stateBytes());
        int n = tracker.collectInPause(dirty);
        boolean deferred = n < 0;
        int len = deferred ? 0 : frame.encode(epoch, blob, tracker.pageSource(), dirty);
        tracker.rearmInPause();
        long t2 = clock.nanoTime();
        guest.resume();
        long t3 = clock.nanoTime();
        if (deferred) {
            n = tracker.collectAfterResume(dirty);
            len = frame.encode(epoch, blob, tracker.pageSource(), dirty);
        }
        long t4 = clock.nanoTime();
        return new EpochResult(epoch, (t1 - t0) / 1000, 0, (t2 - t1) / 1000, 0, (t3 - t2) / 1000, (t3 - t0) / 1000,
                (t4 - t3) / 1000, n, blob.length, len);
    }

    /** The shadow refused the last epoch: carry its dirty pages into the next one (same epoch number). */
    public void retainDirty() {
        retainDirty = true;
    }

    public EpochFrame frame() {
        return frame;
    }

    @Override
    public void close() {
        tracker.close();
    }
}
