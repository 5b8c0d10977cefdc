package io.shadowvm.sync.wire;

/** Why a peer refuses a stream. Wire ids are part of the format: never renumber. */
public enum ErrorCode {
    UNKNOWN(0),
    VERSION_MISMATCH(1),
    REGION_SIZE_MISMATCH(2),
    CORRUPTED_FRAME(3),
    BUSY(4),
    PROTOCOL(5),
    DIGEST_MISMATCH(6);

    private final int id;

    ErrorCode(int id) {
        this.id = id;
    }

    public int id() {
        return id;
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
