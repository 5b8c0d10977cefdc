package io.shadowvm.sync.wire;

import io.shadowvm.sync.SyncException;

/** A well-formed frame that is not allowed at this point of the conversation. */
public final class ProtocolException extends SyncException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
