package io.shadowvm.sync.wire;

import io.shadowvm.sync.SyncException;

/** The peer speaks another sync format version. */
public final class UnsupportedVersionException extends SyncException {
    private static final long serialVersionUID = 1L;
    private final int version;

    public UnsupportedVersionException(int version) {
        super("unsupported sync format version: " + version + " (expected: " + FrameHeader.VERSION + ")");
        this.version = version;
    }

    public int version() {
        return version;
    }
}
