package io.shadowvm.hypervisor.qemu;

/** The accelerator a guest runs on. */
public enum Accel {
    /** KVM when {@link KvmProbe} saw {@code /dev/kvm} boot a guest on this machine, TCG otherwise. */
    AUTO,
    KVM,
    TCG
}
