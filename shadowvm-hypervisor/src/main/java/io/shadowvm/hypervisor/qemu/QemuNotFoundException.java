package io.shadowvm.hypervisor.qemu;

import io.shadowvm.hypervisor.HypervisorException;

/** The QEMU binary (or the guest image tools) is not installed; tests skip on this, and only on this. */
public final class QemuNotFoundException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    public QemuNotFoundException(String message) {
        super(message);
    }
}
