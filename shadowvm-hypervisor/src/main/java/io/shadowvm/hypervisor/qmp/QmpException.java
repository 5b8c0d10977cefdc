package io.shadowvm.hypervisor.qmp;

import io.shadowvm.hypervisor.HypervisorException;

/** Base of everything the QMP client throws. */
public class QmpException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    public QmpException(String message) {
        super(message);
    }

    public QmpException(String message, Throwable cause) {
        super(message, cause);
    }
}
