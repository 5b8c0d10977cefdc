package io.shadowvm.hypervisor.qmp;

/** The QMP socket could not be opened, is already owned, closed, or sent something that is not QMP. */
public final class QmpConnectionException extends QmpException {
    private static final long serialVersionUID = 1L;

    public QmpConnectionException(String message) {
        super(message);
    }

    public QmpConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
