package io.shadowvm.agent.runtime;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.hypervisor.checkpoint.CorruptCheckpointException;
import io.shadowvm.hypervisor.checkpoint.DeviceStateBlob;
import io.shadowvm.hypervisor.checkpoint.Promoter;
import io.shadowvm.hypervisor.checkpoint.ServingClone;
import io.shadowvm.hypervisor.qemu.QemuConfig;
import io.shadowvm.sync.AppliedEpoch;
import io.shadowvm.sync.SyncSink;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The shadow of a QEMU guest on this host: a sync sink whose replica file (on the RAM tmpfs, the guest's RAM size)
 * receives the primary's epochs. The sink's {@link DeviceStateValidator} checks each epoch's critical blob
 * ({@link VmEpochTag}, then {@link DeviceStateBlob#verify}) before anything of it is applied: an epoch whose device
 * state is corrupted is never applied nor acknowledged, and the replica keeps the previous epoch, which stays
 * {@link #promotable()}. Promotion checks the device state again, closes the sink (the replica then holds exactly
 * the newest applied epoch) and starts QEMU on the replica with {@code -S -incoming defer} ({@link Promoter}). A
 * refused promotion changes nothing: the shadow stays, its sink listening again on the same address. A serving
 * shadow also runs a {@link ServingClone} of a recent verified epoch.
 *
 * <p>Threads: the sink validates, applies and calls {@link #applied} on sync's thread; everything else runs on the
 * runtime's thread. What crosses is one immutable {@link Verified} record and one refusal string.
 */
final class QemuShadow {
    /** An applied epoch whose device state verified: what a promotion starts from. */
    record Verified(long syncEpoch, long vmEpoch, byte[] deviceState, long appliedAtMs) {
    }

    final String vm;
    final long generation;
    final boolean serving;
    final long memoryMib;
    final Path replica;
    private final QemuHostEnv env;
    private final EpochClock clock;
    private SyncSink sink;
    private final InetSocketAddress listen;
    private volatile Verified verified;
    private volatile String refusal = "";
    private volatile long appliedSyncEpoch;
    /** How long a replaced serving clone keeps answering (requests in flight, a controller that has not switched yet). */
    static final long SERVING_DRAIN_MS = 2_000;
    private final long servingRefreshMs;
    private ServingClone clone;
    private long cloneVmEpoch;
    private ServingClone retiring;
    private long retireAtMs;
    private long nextCloneAtMs;
    private long promotedVmEpoch;
    private int clones;

    QemuShadow(QemuHostEnv env, String vm, long generation, boolean serving, long memoryMib, long servingRefreshMs,
               EpochClock clock) {
        this.servingRefreshMs = servingRefreshMs;
        this.env = env;
        this.vm = vm;
        this.generation = generation;
        this.serving = serving;
        this.memoryMib = memoryMib;
        this.clock = clock;
        long bytes = memoryMib << 20;
        env.requireRamSpace(serving ? 3 * bytes : bytes, "the " + (serving ? "serving " : "") + "shadow of " + vm
            + (serving ? " (replica and two serving clones while one replaces the other, " + memoryMib + " MiB each)"
            : " (" + memoryMib + " MiB replica)"));
        this.replica = env.ramDir.resolve(QemuHostEnv.qemuName(vm, generation, "s") + ".replica");
        FileTrees.deleteWithSiblings(replica); // never apply a new stream on top of an old run's replica
        this.sink = startSink(new InetSocketAddress(env.bind, 0), bytes);
        this.listen = sink.localAddress();
    }

    private SyncSink startSink(InetSocketAddress at, long createBytes) {
        return SyncSink.start(new SyncSink.Context().listen(at).replica(replica).createSizeBytes(createBytes)
            .durable(false).clock(clock).validator(new DeviceStateValidator(vm, why -> refusal = why))
            .onApplied(this::applied));
    }

    /** On sync's thread, after an epoch the validator accepted is applied whole (checked again: cheap, and final). */
    private void applied(AppliedEpoch e) {
        appliedSyncEpoch = e.epoch();
        byte[] critical = e.criticalBytes();
        long vmEpoch = VmEpochTag.vmEpoch(critical);
        if (vmEpoch < 0) {
            refusal = "sync epoch " + e.epoch() + " carries no VM epoch tag (is the primary a qemu guest?)";
            return;
        }
        byte[] dev = VmEpochTag.deviceState(critical);
        try {
            DeviceStateBlob.verify(dev, dev.length, e.epoch(), "VM " + vm + " epoch " + vmEpoch);
        } catch (CorruptCheckpointException ex) {
            refusal = ex.getMessage();
            return;
        }
        refusal = "";
        verified = new Verified(e.epoch(), vmEpoch, dev, e.appliedAtMs());
    }

    String sinkAddress() {
        return env.address(listen.getPort());
    }

    /** The newest applied epoch whose device state verified, or null. */
    Verified promotable() {
        Verified v = verified;
        return v != null && v.syncEpoch() == appliedSyncEpoch ? v : null;
    }

    /** The VM epoch acknowledged and verified here (0 before the first). */
    long ackedVmEpoch() {
        Verified v = verified;
        return v == null ? 0 : v.vmEpoch();
    }

    long appliedAtMs() {
        Verified v = verified;
        return v == null ? 0 : v.appliedAtMs();
    }

    String state() {
        Verified v = verified;
        String s = v == null ? "syncing" : "replica at epoch " + v.vmEpoch();
        String r = refusal;
        return r.isEmpty() ? s : s + "; refused: " + r;
    }

    /**
     * Serving shadows: starts a clone from the first verified epoch, replaces it by one from the newest verified epoch
     * once it is {@code servingRefreshMs} old (the controller reads the new address from the next instance report),
     * and kills the replaced clone {@code SERVING_DRAIN_MS} later. Returns the work done.
     */
    int doWork(QemuConfigFactory configs) {
        int work = 0;
        long now = clock.epochMillis();
        if (retiring != null && now >= retireAtMs) {
            kill(retiring);
            retiring = null;
            work++;
        }
        if (!serving || sink == null || now < nextCloneAtMs) {
            return work;
        }
        Verified v = promotable();
        if (v == null || (clone != null && (!clone.isStale(now, servingRefreshMs) || v.vmEpoch() <= cloneVmEpoch))) {
            return work;
        }
        try {
            startClone(configs, now);
        } catch (RuntimeException e) {
            nextCloneAtMs = now + servingRefreshMs; // a clone that cannot start is retried, not hammered
            throw e;
        }
        return work + 1;
    }

    private void startClone(QemuConfigFactory configs, long now) {
        if (retiring != null) {
            kill(retiring); // its name and RAM file are the ones the next clone takes
            retiring = null;
        }
        String name = QemuHostEnv.qemuName(vm, generation, "c" + (clones++ % 2));
        Path priv = env.ramDir.resolve(name + ".ram");
        // copied while no epoch is applied: the copy and the device state are the same epoch
        Verified at = sink.withConsistentReplica(r -> {
            Verified now2 = promotable();
            if (now2 != null) {
                ServingClone.copyReplica(replica, priv);
            }
            return now2;
        });
        if (at == null) {
            return;
        }
        QemuConfig cfg = configs.config(name, memoryMib);
        ServingClone next;
        try {
            next = ServingClone.start(cfg, priv, at.syncEpoch(), at.deviceState(), now);
        } catch (RuntimeException e) {
            FileTrees.deleteQuietly(priv);
            FileTrees.delete(cfg.runDir());
            throw e;
        }
        retiring = clone;
        retireAtMs = now + SERVING_DRAIN_MS;
        clone = next;
        cloneVmEpoch = at.vmEpoch();
    }

    /** The serving clone's address, or "" when none runs. */
    String servingAddress() {
        return clone == null ? "" : env.address(clone.port());
    }

    /**
     * Promotes: QEMU on the replica, continuing from the newest verified epoch. Refused (shadow unchanged) without
     * an epoch or when the device state does not verify.
     */
    Promoter.Promotion promote(String qemuName, QemuConfigFactory configs) {
        if (sink == null) {
            throw new ShadowVmException("shadow of " + vm + " on " + env.host + " has no sink: " + refusal);
        }
        Verified v = checkPromotable();
        closeClone();
        sink.close();
        sink = null;
        Verified last = verified; // an epoch may have been applied between the check and the close
        QemuConfig cfg = null;
        try {
            if (last == null || last.syncEpoch() != appliedSyncEpoch) {
                throw new ShadowVmException("shadow of " + vm + " on " + env.host + ": the newest applied epoch's device state "
                    + "was refused (" + refusal + ")");
            }
            cfg = configs.config(qemuName, memoryMib);
            Promoter.Promotion pr = Promoter.promote(cfg, replica, last.syncEpoch(), last.deviceState());
            promotedVmEpoch = last.vmEpoch();
            return pr;
        } catch (RuntimeException e) {
            if (cfg != null) {
                FileTrees.delete(cfg.runDir());
            }
            reopenSink();
            long at = last == null ? v.vmEpoch() : last.vmEpoch();
            throw new ShadowVmException("promotion of " + vm + " on " + env.host + " from VM epoch " + at + " failed: "
                + e.getMessage() + "; it stays a shadow", e);
        }
    }

    /** The VM epoch the last successful {@link #promote} resumed from. */
    long promotedVmEpoch() {
        return promotedVmEpoch;
    }

    /** After a refused promotion: the replica and its newest epoch are still here, so the shadow goes on. */
    private void reopenSink() {
        try {
            sink = startSink(listen, 0);
        } catch (RuntimeException e) {
            refusal = "sink could not listen again on " + listen + " after a refused promotion: " + e.getMessage();
        }
    }

    private Verified checkPromotable() {
        Verified v = verified;
        if (v == null) {
            throw new ShadowVmException("shadow of " + vm + " on " + env.host + " holds no whole epoch yet"
                + (refusal.isEmpty() ? "" : " (refused: " + refusal + ")"));
        }
        if (v.syncEpoch() != appliedSyncEpoch) {
            throw new ShadowVmException("shadow of " + vm + " on " + env.host + " refuses to promote: the device state of "
                + "its newest epoch is corrupted (" + refusal + "); the replica's RAM already holds that epoch, so epoch "
                + v.vmEpoch() + " cannot be resumed either; the next good epoch makes it promotable again");
        }
        // checked again now: the device state held in memory since it arrived must still be intact
        try {
            DeviceStateBlob.verify(v.deviceState(), v.deviceState().length, v.syncEpoch(), "VM " + vm + " epoch " + v.vmEpoch());
        } catch (CorruptCheckpointException e) {
            throw new ShadowVmException("shadow of " + vm + " on " + env.host + " refuses to promote: " + e.getMessage()
                + "; it stays a shadow and the next epoch that verifies is promotable", e);
        }
        return v;
    }

    private void closeClone() {
        if (clone != null) {
            kill(clone);
            clone = null;
        }
        if (retiring != null) {
            kill(retiring);
            retiring = null;
        }
    }

    private static void kill(ServingClone c) {
        Path runDir = c.vm().config().runDir();
        c.close();
        FileTrees.delete(runDir);
    }

    /** Closes the sink and the clone; with {@code deleteReplica} also the replica and its sync files. */
    void close(boolean deleteReplica) {
        closeClone();
        if (sink != null) {
            sink.close();
            sink = null;
        }
        if (deleteReplica) {
            FileTrees.deleteWithSiblings(replica);
        }
    }

    /** Builds this host's QEMU config for a guest name and RAM size (a fresh run directory and port). */
    @FunctionalInterface
    interface QemuConfigFactory {
        QemuConfig config(String qemuName, long memoryMib);
    }
}
