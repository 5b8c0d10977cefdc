package io.shadowvm.controller.model;

/**
 * One completed failover.
 *
 * @param rtoMs      from the dead host's last heartbeat (the latest moment it was known alive) until the
 *                   promoted instance reported serving: an upper bound of the outage
 * @param rpoEpochs  epochs the primary had shipped beyond what the promoted shadow had acknowledged
 */
public record FailoverRecord(String vm, String deadHost, String promotedHost, long generation, long resumedEpoch,
                             long rtoMs, long rpoEpochs, long detectedAtMs, long completedAtMs) {
}
