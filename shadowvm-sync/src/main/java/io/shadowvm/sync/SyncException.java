package io.shadowvm.sync;

import io.shadowvm.core.ShadowVmException;

/** A user-facing failure of the sync engine: bad input, a refused stream, an unreachable peer. */
public class SyncException extends ShadowVmException {
    private static final long serialVersionUID = 1L;

    public SyncException(String message) {
        super(message);
    }

    public SyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
