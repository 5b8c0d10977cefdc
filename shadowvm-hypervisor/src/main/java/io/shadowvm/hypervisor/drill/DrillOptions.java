package io.shadowvm.hypervisor.drill;

import io.shadowvm.hypervisor.HypervisorException;
import io.shadowvm.hypervisor.checkpoint.DirtyTracking;
import io.shadowvm.hypervisor.qemu.Accel;

/**
 * Drill parameters, validated once.
 *
 * @param epochs checkpoints to take before the kill, 2..1000
 * @param epochMs epoch period, 20..10000 ms
 * @param memoryMib guest RAM
 * @param dirtyMib MiB the guest rewrites in a loop (0 = idle)
 * @param tracking dirty-page tracking (SOFT_DIRTY falls back to HASH_SCAN under KVM)
 * @param accel accelerator
 * @param useNetns promote into a fresh network namespace when root
 * @param corruptLastEpoch inject a corrupted device state into the last epoch: the shadow must refuse it and the
 *     promotion must continue from the epoch before (BUILTIN transport only: its sink checks the blob before applying)
 * @param transport how epochs travel (QEMU drills; process drills use BUILTIN)
 * @param servingClones QEMU + SYNC: start a serving clone from the acked epoch after epoch 2, replace it with a fresh
 *     one after epoch 4, and check what each serves
 */
public record DrillOptions(int epochs, int epochMs, int memoryMib, int dirtyMib, DirtyTracking tracking, Accel accel,
                           boolean useNetns, boolean corruptLastEpoch, EpochTransport transport, boolean servingClones) {
    public DrillOptions {
        if (epochs < 2 || epochs > 1000) {
            throw new HypervisorException("invalid --epochs: " + epochs + " (expected: 2-1000)");
        }
        if (epochMs < 20 || epochMs > 10_000) {
            throw new HypervisorException("invalid --epoch-ms: " + epochMs + " (expected: 20-10000)");
        }
        if (memoryMib < 64 || memoryMib > 65536) {
            throw new HypervisorException("invalid --memory-mib: " + memoryMib + " (expected: 64-65536)");
        }
        if (servingClones && (transport != EpochTransport.SYNC || epochs < 4)) {
            throw new HypervisorException("serving clones need the SYNC transport and at least 4 epochs (got " + transport + ", " + epochs + ")");
        }
        if (corruptLastEpoch && transport == EpochTransport.SYNC) {
            throw new HypervisorException("corrupted-epoch injection needs the BUILTIN transport (sync's sink does not inspect critical blobs)");
        }
        if (dirtyMib < 0 || dirtyMib > memoryMib / 4) {
            throw new HypervisorException("invalid --dirty-mib: " + dirtyMib + " (expected: 0-" + memoryMib / 4 + ")");
        }
    }

    public static DrillOptions defaults() {
        return new DrillOptions(6, 200, 128, 8, DirtyTracking.SOFT_DIRTY, Accel.AUTO, true, false, EpochTransport.SYNC, false);
    }
}
