package io.shadowvm.controller.model;

/**
 * One completed failover.
 *
 * @param rtoMs        from the last moment the failed primary was known alive (its host's last heartbeat, or for a
 *                     dead guest its last report as running) until the promoted instance reported serving: an
 *                     upper bound of the outage
 * @param rpoEpochs    epochs the primary had shipped beyond what the promoted shadow had acknowledged
 * @param detectedAtMs when the controller declared the primary dead (host or guest)
 * @param cause        {@link #HOST_DEAD} (the host stopped heartbeating) or {@link #VM_DEAD} (the guest died on a
 *                     live host)
 * @param stateDigest  digest of the state the promoted instance started from, as its agent reported it (equal to
 *                     the primary's digest of {@code resumedEpoch}, which the agent checked); 0 = not computed
 */
public record FailoverRecord(String vm, String deadHost, String promotedHost, long generation, long resumedEpoch,
                             long rtoMs, long rpoEpochs, long detectedAtMs, long completedAtMs, String cause,
                             long stateDigest) {
    public static final String HOST_DEAD = "host-dead";
    public static final String VM_DEAD = "vm-dead";

    public FailoverRecord {
        cause = cause == null || cause.isEmpty() ? HOST_DEAD : cause;
    }

    /** A host-death failover without a state digest (records written before causes and digests existed). */
    public FailoverRecord(String vm, String deadHost, String promotedHost, long generation, long resumedEpoch, long rtoMs,
                          long rpoEpochs, long detectedAtMs, long completedAtMs) {
        this(vm, deadHost, promotedHost, generation, resumedEpoch, rtoMs, rpoEpochs, detectedAtMs, completedAtMs,
            HOST_DEAD, 0);
    }

    /** Milliseconds from the last moment known alive until detection. */
    public long detectionMs() {
        return rtoMs - promotionMs();
    }

    /** Milliseconds from detection until the promoted instance reported serving. */
    public long promotionMs() {
        return completedAtMs - detectedAtMs;
    }
}
