package io.shadowvm.controller.store;

import io.shadowvm.core.ShadowVmException;

/** The cluster store could not be read or written (ZooKeeper unreachable, corrupt entry). */
public final class StoreException extends ShadowVmException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
