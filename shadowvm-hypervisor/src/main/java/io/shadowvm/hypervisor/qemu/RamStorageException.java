package io.shadowvm.hypervisor.qemu;

import io.shadowvm.hypervisor.HypervisorException;

/** The tmpfs that holds guest RAM files has too little free space (a full tmpfs kills QEMU with SIGBUS). */
public final class RamStorageException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    public RamStorageException(String message) {
        super(message);
    }
}
