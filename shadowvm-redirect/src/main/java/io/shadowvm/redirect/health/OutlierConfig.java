package io.shadowvm.redirect.health;

import io.shadowvm.redirect.RedirectException;

/**
 * Outlier ejection parameters (Envoy's names and defaults).
 *
 * @param consecutiveErrors      failures in a row that eject a backend (Envoy: 5)
 * @param baseEjectionNs         the first ejection's length; the n-th lasts {@code base × 2^(n-1)} (Envoy: 30 s)
 * @param maxEjectionNs          the cap of one ejection (Envoy: 300 s)
 * @param maxEjectionPercent     never eject more than this share of backends (Envoy: 10; here 50 because data
 *                               planes have few backends)
 * @param panicThresholdPercent  when fewer than this share of the weighted backends are left un-ejected, ignore
 *                               ejections and route by configured weights (Envoy: 50)
 * @param healthCheckIntervalNs  active TCP health check period; 0 disables active checks
 * @param healthCheckTimeoutNs   connect timeout of one active check
 */
public record OutlierConfig(
    int consecutiveErrors,
    long baseEjectionNs,
    long maxEjectionNs,
    int maxEjectionPercent,
    int panicThresholdPercent,
    long healthCheckIntervalNs,
    long healthCheckTimeoutNs) {

    public static OutlierConfig defaults() {
        return new OutlierConfig(5, 30_000_000_000L, 300_000_000_000L, 50, 50, 5_000_000_000L, 1_000_000_000L);
    }

    public OutlierConfig {
        if (consecutiveErrors < 1) {
            throw new RedirectException("invalid consecutiveErrors: " + consecutiveErrors + " (expected: >= 1)");
        }
        if (baseEjectionNs <= 0 || maxEjectionNs < baseEjectionNs) {
            throw new RedirectException("invalid ejection times: base " + baseEjectionNs + " ns, max "
                + maxEjectionNs + " ns (expected: 0 < base <= max)");
        }
        if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
            throw new RedirectException("invalid maxEjectionPercent: " + maxEjectionPercent + " (expected: 0-100)");
        }
        if (panicThresholdPercent < 0 || panicThresholdPercent > 100) {
            throw new RedirectException("invalid panicThresholdPercent: " + panicThresholdPercent
                + " (expected: 0-100)");
        }
        if (healthCheckIntervalNs < 0 || healthCheckTimeoutNs <= 0) {
            throw new RedirectException("invalid health check interval/timeout: " + healthCheckIntervalNs + "/"
                + healthCheckTimeoutNs + " ns (expected: interval >= 0, timeout > 0)");
        }
    }

    public OutlierConfig withHealthChecks(long intervalNs, long timeoutNs) {
        return new OutlierConfig(consecutiveErrors, baseEjectionNs, maxEjectionNs, maxEjectionPercent,
            panicThresholdPercent, intervalNs, timeoutNs);
    }
}
