package io.shadowvm.sync.wire;

import io.shadowvm.sync.SyncException;

/** A frame that failed its checks (magic, type, CRC32C, payload layout); it is never applied. */
public class CorruptedFrameException extends SyncException {
    private static final long serialVersionUID = 1L;

    public CorruptedFrameException(String message) {
        super(message);
    }
}
