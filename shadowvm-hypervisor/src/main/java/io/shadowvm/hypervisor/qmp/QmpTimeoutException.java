package io.shadowvm.hypervisor.qmp;

/** QEMU did not answer (greeting, command or awaited event) within the timeout. */
public final class QmpTimeoutException extends QmpException {
    private static final long serialVersionUID = 1L;

    public QmpTimeoutException(String message) {
        super(message);
    }
}
