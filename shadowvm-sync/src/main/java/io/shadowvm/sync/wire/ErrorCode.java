package io.shadowvm.sync.wire;

/** Why a peer refuses a stream. Wire ids are part of the format: never renumber. */
public enum ErrorCode {
    UNKNOWN(0),
    VERSION_MISMATCH(1),
    REGION_SIZE_MISMATCH(2),
    CORRUPTED_FRAME(3),
    BUSY(4),
    PROTOCOL(5),
    DIGEST_MISMATCH(6),
    /** The sink's validator rejected the epoch's critical blob; nothing of it was applied (since format 1, additive). */
    EPOCH_REJECTED(7);

    private final int id;

    ErrorCode(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /**
     * Whether the source must stop retrying (the stream cannot work until someone changes a side) rather than
     * reconnect and resume: a format version or region size mismatch, or a protocol violation. Every other code,
     * including ones a newer peer may send ({@link #UNKNOWN}), means reconnect after a delay.
     */
    public boolean needsOperator() {
        return this == VERSION_MISMATCH || this == REGION_SIZE_MISMATCH || this == PROTOCOL;
    }

    public static ErrorCode byId(int id) {
        for (ErrorCode c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        return UNKNOWN;
    }
}
