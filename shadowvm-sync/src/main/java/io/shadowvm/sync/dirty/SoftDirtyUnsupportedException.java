package io.shadowvm.sync.dirty;

import io.shadowvm.sync.SyncException;

/** Soft-dirty tracking does not work on this kernel or system; the message says why and what to use. */
public final class SoftDirtyUnsupportedException extends SyncException {
    private static final long serialVersionUID = 1L;

    public SoftDirtyUnsupportedException(String message) {
        super(message);
    }
}
