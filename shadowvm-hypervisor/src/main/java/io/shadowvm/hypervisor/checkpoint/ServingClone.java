package io.shadowvm.hypervisor.checkpoint;

import io.shadowvm.hypervisor.HypervisorException;
import io.shadowvm.hypervisor.qemu.QemuConfig;
import io.shadowvm.hypervisor.qemu.QemuVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A serving shadow of a QEMU guest: a clone started from the newest acknowledged checkpoint on a <em>private copy</em>
 * of the replica's RAM (the replica keeps receiving epochs underneath), answering redirected traffic. Its own writes
 * stay in its private copy and are never shipped back.
 *
 * <p>Swap ({@link #replace}): a fresh clone is started from the newest acked epoch on another port and waits until it
 * is running; the caller points the redirector's weight table at the new endpoint, then closes the old clone after
 * draining. New connections go to the new clone from the switch on; requests already in flight on the old clone finish
 * if they take less than the drain time and are cut otherwise. Nothing else is dropped: both clones run during the
 * switch (twice the RAM for that moment).
 */
public final class ServingClone implements AutoCloseable {
    private final QemuVm vm;
    private final long epoch;
    private final long startedAtMs;
    private final Path privateRam;

    private ServingClone(QemuVm vm, long epoch, long startedAtMs, Path privateRam) {
        this.vm = vm;
        this.epoch = epoch;
        this.startedAtMs = startedAtMs;
        this.privateRam = privateRam;
    }

    /**
     * Starts a clone. The caller copies the replica consistently ({@code copyReplicaTo} runs while no epoch is being
     * applied, e.g. inside {@code SyncSink.withConsistentReplica} or on the sink's thread) and passes that epoch's
     * device-state blob.
     *
     * @param cloneConfig the guest's config with this clone's run directory and port
     */
    public static ServingClone start(QemuConfig cloneConfig, Path privateRam, long epoch, byte[] deviceStateBlob, long nowMs) {
        Promoter.Promotion p = Promoter.promote(cloneConfig, privateRam, epoch, deviceStateBlob);
        return new ServingClone(p.vm(), epoch, nowMs, privateRam);
    }

    /** Copies a replica RAM file to a clone's private file (tmpfs; a plain copy, ~memcpy speed). */
    public static void copyReplica(Path replicaRam, Path privateRam) {
        try {
            Files.copy(replicaRam, privateRam, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HypervisorException("cannot copy replica " + replicaRam + " for a serving clone: " + e.getMessage(), e);
        }
    }

    /** True when the clone's state is older than the bound: it started from an epoch acked {@code nowMs - startedAtMs} ago. */
    public boolean isStale(long nowMs, long stalenessBoundMs) {
        return nowMs - startedAtMs >= stalenessBoundMs;
    }

    /**
     * Starts the replacement from a newer epoch and returns it; the caller switches traffic, then closes this one.
     */
    public ServingClone replace(QemuConfig nextConfig, Path nextPrivateRam, long nextEpoch, byte[] nextBlob, long nowMs) {
        if (nextEpoch < epoch) {
            throw new HypervisorException("serving clone replacement from epoch " + nextEpoch + " is older than the running one (" + epoch + ")");
        }
        return start(nextConfig, nextPrivateRam, nextEpoch, nextBlob, nowMs);
    }

    public QemuVm vm() {
        return vm;
    }

    public long epoch() {
        return epoch;
    }

    public int port() {
        return vm.config().hostPort();
    }

    /** Kills the clone and deletes its private RAM copy. */
    @Override
    public void close() {
        vm.close();
        try {
            Files.deleteIfExists(privateRam);
        } catch (IOException e) {
            throw new HypervisorException("cannot delete serving clone RAM " + privateRam + ": " + e.getMessage(), e);
        }
    }
}
