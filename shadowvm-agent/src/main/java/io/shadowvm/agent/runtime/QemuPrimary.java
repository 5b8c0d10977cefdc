package io.shadowvm.agent.runtime;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.hypervisor.checkpoint.DirtyTracking;
import io.shadowvm.hypervisor.checkpoint.QemuCheckpointer;
import io.shadowvm.hypervisor.drill.QemuDrill;
import io.shadowvm.hypervisor.qemu.QemuVm;
import io.shadowvm.hypervisor.qemu.VmLifecycle;
import io.shadowvm.sync.EpochLoop;
import io.shadowvm.sync.EpochTicket;
import io.shadowvm.sync.SyncSource;
import io.shadowvm.sync.dirty.DirtyTracker;
import io.shadowvm.sync.dirty.HashScanTracker;
import io.shadowvm.sync.region.MappedFileRegion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One running QEMU guest that is the primary of its VM on this host, and its replication: a sync source over the
 * guest's shared RAM file to every shadow's sink, paced by {@link EpochLoop}; each epoch is taken inside one pause by
 * {@link QemuCheckpointer} (stop → device state → dirty pages → cont) with the VM epoch in front of the device state
 * ({@link VmEpochTag}). Adding a shadow restarts the source towards all sinks (sync numbers epochs per source from 1,
 * and every sink gets a full first epoch); the VM epoch goes on. Driven from the runtime's thread only.
 */
final class QemuPrimary {
    final String vm;
    final long generation;
    final QemuVm qemu;
    final String serviceAddress;
    /** The replica this guest was promoted from (its RAM file, deleted with it), or null for a booted guest. */
    private final Path promotedFrom;
    private final Path runDir;
    private final Map<String, InetSocketAddress> sinks = new LinkedHashMap<>();
    private QemuCheckpointer checkpointer;
    private MappedFileRegion region;
    private SyncSource source;
    private EpochLoop loop;
    private long syncEpoch;
    private long vmEpoch;
    private String failure = "";

    QemuPrimary(String vm, long generation, QemuVm qemu, String serviceAddress, long vmEpoch, Path promotedFrom) {
        this.vm = vm;
        this.generation = generation;
        this.qemu = qemu;
        this.serviceAddress = serviceAddress;
        this.vmEpoch = vmEpoch;
        this.promotedFrom = promotedFrom;
        this.runDir = qemu.config().runDir();
    }

    /** True once QEMU has exited (killed, crashed, powered off). */
    boolean dead() {
        return qemu.lifecycle() == VmLifecycle.DEAD;
    }

    long vmEpoch() {
        return vmEpoch;
    }

    /** Ships epochs to the sink at {@code sink} too (idempotent for the same shadow host and address). */
    void replicateTo(String shadowHost, InetSocketAddress sink, long epochMs, EpochClock clock) {
        if (sink.equals(sinks.get(shadowHost))) {
            return;
        }
        if (dead()) {
            throw new ShadowVmException("cannot replicate " + vm + " generation " + generation + ": its QEMU has exited ("
                + qemu.stderrTail() + ")");
        }
        sinks.put(shadowHost, sink);
        restartSource(epochMs, clock);
    }

    private void restartSource(long epochMs, EpochClock clock) {
        if (source != null) {
            source.close();
            source = null;
        }
        if (checkpointer == null) {
            checkpointer = new QemuCheckpointer(qemu, null, NanoClock.SYSTEM);
        }
        if (region == null) {
            region = MappedFileRegion.openReadOnly(qemu.ramFile());
        }
        source = SyncSource.start(new SyncSource.Context().region(region).tracker(tracker())
            .shadows(new ArrayList<>(sinks.values())).epochClock(clock));
        loop = new EpochLoop(source, epochMs, NanoClock.SYSTEM);
        syncEpoch = 0;
    }

    /** Soft-dirty bits of QEMU's mapping where the kernel has them and the guest runs under TCG; else a hash scan. */
    private DirtyTracker tracker() {
        if (QemuDrill.effectiveTracking(DirtyTracking.SOFT_DIRTY, qemu.accel()) == DirtyTracking.SOFT_DIRTY) {
            return io.shadowvm.sync.dirty.SoftDirtyTracker.forMappedFile(qemu.pid(), qemu.ramFile());
        }
        return new HashScanTracker();
    }

    /** Takes the epoch that is due, if any; returns 1 when it took one. A QEMU that died stops the epochs. */
    int doWork() {
        if (loop == null) {
            return 0;
        }
        if (dead()) {
            failure = "QEMU exited (" + qemu.stderrTail() + ")";
            stopReplication();
            return 1;
        }
        try {
            EpochTicket t = loop.poll(s -> {
                QemuCheckpointer.SyncEpoch se = checkpointer.checkpointToSync(syncEpoch + 1, s, VmEpochTag.of(vmEpoch + 1));
                syncEpoch++;
                vmEpoch++;
                return se.ticket();
            });
            return t == null ? 0 : 1;
        } catch (RuntimeException e) {
            failure = "epoch " + (vmEpoch + 1) + " failed: " + e.getMessage();
            stopReplication();
            throw new ShadowVmException("replication of " + vm + " stopped: " + failure, e);
        }
    }

    private void stopReplication() {
        if (source != null) {
            source.close();
            source = null;
        }
        loop = null;
    }

    /** "running" or "dead": the controller reads this as the VM's liveness. */
    String state() {
        return dead() ? "dead" : "running";
    }

    /** Why replication stopped, or "". */
    String failure() {
        return failure;
    }

    Map<String, InetSocketAddress> sinks() {
        return sinks;
    }

    /** Kills QEMU and removes what it used: sync source, mapping, RAM file (a promoted guest's replica too). */
    void close() {
        stopReplication();
        if (region != null) {
            region.close();
            region = null;
        }
        if (checkpointer != null) {
            try {
                checkpointer.close();
            } catch (RuntimeException e) {
                // the socket file goes with the run directory
            }
            checkpointer = null;
        }
        qemu.close();
        if (promotedFrom != null) {
            FileTrees.deleteWithSiblings(promotedFrom);
        }
        FileTrees.delete(runDir);
    }
}
