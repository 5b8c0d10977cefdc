package io.shadowvm.sync.wire;

/**
 * Frame types of format version 1, each with the largest payload it may announce; the decoder refuses a
 * larger length before reading the payload. Wire ids are part of the format: never renumber.
 */
public enum FrameType {
    /** source → sink: who I am and what I replicate. */
    HELLO(1, Hello.BYTES),
    /** sink → source: what I hold (and whether page hashes follow). */
    RESUME(2, Resume.BYTES),
    /** sink → source: XXH64 of a run of replica pages. */
    PAGE_HASHES(3, PageHashes.HEADER_BYTES + PageHashes.MAX_HASHES * 8),
    /** source → sink: an epoch starts. */
    EPOCH_BEGIN(4, EpochBegin.BYTES),
    /** source → sink: a chunk of the critical-state blob. */
    CRITICAL(5, Critical.HEADER_BYTES + Critical.MAX_CHUNK_BYTES),
    /** source → sink: a batch of encoded pages; bounded by the decoder's maxFrameLength only. */
    PAGE_BATCH(6, Integer.MAX_VALUE),
    /** source → sink: the epoch is complete (page and batch counts, optional whole-region digest). */
    EPOCH_END(7, EpochEnd.BYTES),
    /** sink → source: the epoch is applied. */
    ACK(8, Ack.BYTES),
    /** either way: a refusal with a code and a one-line reason; the sender then closes. */
    ERROR(9, ErrorMessage.MAX_BYTES);

    private static final FrameType[] BY_ID = new FrameType[16];

    static {
        for (FrameType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int maxPayload;

    FrameType(int id, int maxPayload) {
        this.id = id;
        this.maxPayload = maxPayload;
    }

    public int id() {
        return id;
    }

    public int maxPayload() {
        return maxPayload;
    }

    /** The type with this id, or {@code null}. */
    public static FrameType byId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
