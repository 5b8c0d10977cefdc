package io.shadowvm.sync.wire;

/** A frame header announcing more payload than its type or the decoder allows; refused before allocation. */
public final class FrameTooLongException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    public FrameTooLongException(FrameType type, long length, long bound) {
        super("invalid " + type + " frame length: " + length + " (expected: 0-" + bound + ")");
    }
}
