package io.shadowvm.sync.codec;

import io.shadowvm.sync.SyncException;

/** Encoded page data that cannot be decoded; the batch that carried it is never applied. */
public final class CorruptPageException extends SyncException {
    private static final long serialVersionUID = 1L;

    public CorruptPageException(String message) {
        super(message);
    }
}
