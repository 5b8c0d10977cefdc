package io.shadowvm.controller.failure;

import io.shadowvm.core.ShadowVmException;

/**
 * Settings of the phi-accrual detector, validated on construction.
 *
 * @param expectedIntervalMs the agents' heartbeat interval (seeds the window)
 * @param minStdDevMs        floor of the standard deviation: jitter below it is not evidence
 * @param acceptablePauseMs  added to the mean interval: pauses (GC, a loaded box) the detector forgives
 * @param windowSize         inter-arrival times remembered
 * @param suspectPhi         phi at which a host becomes SUSPECT
 * @param deadPhi            phi at which a host is declared DEAD (and failed over)
 * @param connectedPauseMs   added to the acceptable pause, for the DEAD threshold only, while the host's stream to
 *                           the controller is still open: a host whose agent process or kernel died drops its
 *                           connection and is declared dead at the plain threshold, while a host that is silent
 *                           with its connection up (an agent stalled on a loaded machine, or a host that lost power
 *                           without closing anything) gets this much longer
 */
public record PhiConfig(long expectedIntervalMs, long minStdDevMs, long acceptablePauseMs, int windowSize,
                        double suspectPhi, double deadPhi, long connectedPauseMs) {
    /** Without extra grace for connected hosts. */
    public PhiConfig(long expectedIntervalMs, long minStdDevMs, long acceptablePauseMs, int windowSize,
                     double suspectPhi, double deadPhi) {
        this(expectedIntervalMs, minStdDevMs, acceptablePauseMs, windowSize, suspectPhi, deadPhi, 0);
    }

    public PhiConfig {
        if (expectedIntervalMs < 1 || expectedIntervalMs > 60_000) {
            throw new ShadowVmException("heartbeat interval: " + expectedIntervalMs + " ms (expected: 1..60000)");
        }
        if (minStdDevMs < 1) {
            throw new ShadowVmException("phi min std dev: " + minStdDevMs + " ms (expected: >= 1)");
        }
        if (acceptablePauseMs < 0) {
            throw new ShadowVmException("phi acceptable pause: " + acceptablePauseMs + " ms (expected: >= 0)");
        }
        if (windowSize < 2 || windowSize > 10_000) {
            throw new ShadowVmException("phi window: " + windowSize + " (expected: 2..10000)");
        }
        if (connectedPauseMs < 0 || connectedPauseMs > 600_000) {
            throw new ShadowVmException("phi connected pause: " + connectedPauseMs + " ms (expected: 0..600000)");
        }
        if (!(suspectPhi > 0) || !(deadPhi > suspectPhi)) {
            throw new ShadowVmException("phi thresholds: suspect " + suspectPhi + ", dead " + deadPhi
                + " (expected: 0 < suspect < dead)");
        }
    }

    /**
     * For a heartbeat every {@code intervalMs}: std floor half an interval, a pause of two intervals forgiven; a
     * disconnected silent host is dead after about 5.6 intervals (560 ms for 100 ms), a connected one gets
     * {@code max(2 s, 20 intervals)} more.
     */
    public static PhiConfig forInterval(long intervalMs) {
        return new PhiConfig(intervalMs, Math.max(1, intervalMs / 2), 2 * intervalMs, 100, 3.0, 8.0,
            Math.max(2_000, 20 * intervalMs));
    }
}
