package io.shadowvm.sync.wire;

import io.shadowvm.sync.SyncException;

/** The peer refused the stream with an {@link FrameType#ERROR} frame. */
public final class PeerRejectedException extends SyncException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public PeerRejectedException(ErrorCode code, String message) {
        super("peer refused the stream (" + code + "): " + message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
