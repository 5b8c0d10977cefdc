package io.shadowvm.redirect.policy;

import io.shadowvm.redirect.RedirectException;

/**
 * Policy parameters, validated once at construction.
 *
 * @param engageThreshold        the seed's threshold: redirection engages when the primary path's score is above it
 * @param releaseThreshold       redirection releases only when the score is at or below this (hysteresis; must not
 *                               exceed {@code engageThreshold})
 * @param scalingFactor          the seed's scaling factor as a fraction: {@code share = min(score × factor, 1)}
 *                               (the seed's "50%" is 0.5)
 * @param maxStepPerTick         the largest change of any single weight in one tick, in (0, 1]
 * @param minDwellNs             how long the policy stays engaged at least, and how long a lower target must
 *                               persist before weights move down
 * @param shadowScoreCutoff      a shadow whose own path score reaches this gets nothing
 * @param maxRttMs               a shadow whose RTT reaches this gets nothing; below, the factor falls linearly
 * @param maxLossRate            a shadow whose loss rate reaches this gets nothing; below, the factor falls linearly
 */
public record PolicyConfig(
    double engageThreshold,
    double releaseThreshold,
    double scalingFactor,
    double maxStepPerTick,
    long minDwellNs,
    double shadowScoreCutoff,
    double maxRttMs,
    double maxLossRate) {

    /** Threshold 0.7, release 0.5, factor 1.0, step 0.1 per tick, dwell 30 s, cutoffs 0.8 / 50 ms / 5%. */
    public static PolicyConfig defaults() {
        return new PolicyConfig(0.7, 0.5, 1.0, 0.1, 30_000_000_000L, 0.8, 50.0, 0.05);
    }

    public PolicyConfig {
        unit("engageThreshold", engageThreshold);
        unit("releaseThreshold", releaseThreshold);
        if (releaseThreshold > engageThreshold) {
            throw new RedirectException("invalid releaseThreshold: " + releaseThreshold
                + " (expected: <= engageThreshold " + engageThreshold + ")");
        }
        if (!(scalingFactor >= 0) || Double.isInfinite(scalingFactor)) {
            throw new RedirectException("invalid scalingFactor: " + scalingFactor + " (expected: >= 0, finite)");
        }
        if (!(maxStepPerTick > 0 && maxStepPerTick <= 1)) {
            throw new RedirectException("invalid maxStepPerTick: " + maxStepPerTick + " (expected: (0, 1])");
        }
        if (minDwellNs < 0) {
            throw new RedirectException("invalid minDwellNs: " + minDwellNs + " (expected: >= 0)");
        }
        if (!(shadowScoreCutoff > 0 && shadowScoreCutoff <= 1)) {
            throw new RedirectException("invalid shadowScoreCutoff: " + shadowScoreCutoff + " (expected: (0, 1])");
        }
        if (!(maxRttMs > 0) || Double.isInfinite(maxRttMs)) {
            throw new RedirectException("invalid maxRttMs: " + maxRttMs + " (expected: > 0, finite)");
        }
        if (!(maxLossRate > 0 && maxLossRate <= 1)) {
            throw new RedirectException("invalid maxLossRate: " + maxLossRate + " (expected: (0, 1])");
        }
    }

    public PolicyConfig withThresholds(double engage, double release) {
        return new PolicyConfig(engage, release, scalingFactor, maxStepPerTick, minDwellNs, shadowScoreCutoff,
            maxRttMs, maxLossRate);
    }

    public PolicyConfig withScalingFactor(double factor) {
        return new PolicyConfig(engageThreshold, releaseThreshold, factor, maxStepPerTick, minDwellNs,
            shadowScoreCutoff, maxRttMs, maxLossRate);
    }

    public PolicyConfig withStability(double maxStep, long dwellNs) {
        return new PolicyConfig(engageThreshold, releaseThreshold, scalingFactor, maxStep, dwellNs,
            shadowScoreCutoff, maxRttMs, maxLossRate);
    }

    static void unit(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new RedirectException("invalid " + name + ": " + v + " (expected: [0, 1])");
        }
    }
}
