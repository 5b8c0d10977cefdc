package io.shadowvm.sync.codec;

/** How one page is carried in a batch. The wire id is part of the format: never renumber. */
public enum PageKind {
    /** All zero bytes; no data follows. */
    ZERO(1),
    /** 4096 bytes of page data follow. */
    RAW(2),
    /** An XOR + run-length delta against the shadow's current copy follows. */
    DELTA(3);

    private final int wireId;

    PageKind(int wireId) {
        this.wireId = wireId;
    }

    public int wireId() {
        return wireId;
    }
}
