package io.shadowvm.sync;

/**
 * A sink's {@link EpochValidator} rejected an epoch: it was not applied nor acknowledged, and the replica keeps
 * the previous epoch. Reported to the sink's {@code onError}; the source sees the same reason in an
 * {@code ERROR(EPOCH_REJECTED)} frame.
 */
public final class EpochRejectedException extends SyncException {
    private static final long serialVersionUID = 1L;
    private final long epoch;

    public EpochRejectedException(long epoch, String message) {
        super(message);
        this.epoch = epoch;
    }

    /** The rejected epoch. */
    public long epoch() {
        return epoch;
    }
}
