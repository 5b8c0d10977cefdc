package io.shadowvm.hypervisor.qemu;

/** A driver-side VM's lifecycle; transitions are checked in {@link QemuVm}. */
public enum VmLifecycle {
    /** QEMU spawned, QMP not yet negotiated. */
    STARTING,
    /** Guest CPUs run. */
    RUNNING,
    /** Guest CPUs stopped (a checkpoint pause, or {@code -S} waiting for {@code migrate-incoming}). */
    PAUSED,
    /** QEMU is gone (killed, crashed, or closed). */
    DEAD
}
