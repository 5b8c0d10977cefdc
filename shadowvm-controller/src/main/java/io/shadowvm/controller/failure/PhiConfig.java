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
 */
public record PhiConfig(long expectedIntervalMs, long minStdDevMs, long acceptablePauseMs, int windowSize,
                        double suspectPhi, double deadPhi) {
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
        if (!(suspectPhi > 0) || !(deadPhi > suspectPhi)) {
            throw new ShadowVmException("phi thresholds: suspect " + suspectPhi + ", dead " + deadPhi
                + " (expected: 0 < suspect < dead)");
        }
    }

    /** For a heartbeat every {@code intervalMs}: std floor half an interval, a pause of two intervals forgiven. */
    public static PhiConfig forInterval(long intervalMs) {
        return new PhiConfig(intervalMs, Math.max(1, intervalMs / 2), 2 * intervalMs, 100, 3.0, 8.0);
    }
}
