package io.shadowvm.hypervisor.drill;

/** How a drill ships epochs to the shadow. */
public enum EpochTransport {
    /**
     * The State Synchronization Engine (shadowvm-sync): {@code SyncSource.takeEpoch(deviceState)} in the pause,
     * XOR/zero/LZ4 page codec, journaled sink; the device state is the epoch's critical blob.
     */
    SYNC,
    /**
     * This module's own frames ({@code EpochFrame} → {@code ReplicaSink}): raw and zero pages, and a sink that verifies
     * the device-state blob before applying, so a corrupted one is refused and the previous epoch stays promotable.
     */
    BUILTIN
}
