package io.shadowvm.hypervisor;

import io.shadowvm.core.ShadowVmException;

/** A VM driver could not do what was asked; the message names the VM, the value and the bound. */
public class HypervisorException extends ShadowVmException {
    private static final long serialVersionUID = 1L;

    public HypervisorException(String message) {
        super(message);
    }

    public HypervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
