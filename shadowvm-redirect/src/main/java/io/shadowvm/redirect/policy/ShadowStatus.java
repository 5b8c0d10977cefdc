package io.shadowvm.redirect.policy;

import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.redirect.RedirectException;

/**
 * What the controller knows about one shadow at a tick.
 *
 * @param name               the shadow's backend name
 * @param serving            only serving shadows take traffic (standby shadows run nothing)
 * @param alive              false when its host is suspected or dead
 * @param capacity           remaining serving capacity, any unit shared by all shadows and {@code offeredLoad}
 * @param pathScore          the congestion score of the shadow's own path, in [0, 1]
 * @param replicationLagMs   how far its state is behind the primary
 * @param stalenessBoundMs   the staleness a serving shadow may show (from the VM's shadow policy)
 * @param rttMs              measured RTT to the shadow
 * @param lossRate           measured loss rate to the shadow, in [0, 1]
 */
public record ShadowStatus(
    String name,
    boolean serving,
    boolean alive,
    double capacity,
    double pathScore,
    double replicationLagMs,
    double stalenessBoundMs,
    double rttMs,
    double lossRate) {

    public ShadowStatus {
        if (name == null || name.isBlank()) {
            throw new RedirectException("invalid shadow name: '" + name + "' (expected: non-blank)");
        }
        nonNegative(name, "capacity", capacity);
        PolicyConfig.unit(name + " pathScore", pathScore);
        nonNegative(name, "replicationLagMs", replicationLagMs);
        if (!(stalenessBoundMs > 0)) {
            throw new RedirectException("invalid " + name + " stalenessBoundMs: " + stalenessBoundMs
                + " (expected: > 0)");
        }
        nonNegative(name, "rttMs", rttMs);
        PolicyConfig.unit(name + " lossRate", lossRate);
    }

    /**
     * A shadow of a VM with this shadow policy: serving when the policy's mode is SERVING, held to the policy's
     * staleness bound.
     */
    public static ShadowStatus of(ShadowPolicy policy, String name, boolean alive, double capacity, double pathScore,
                                  double replicationLagMs, double rttMs, double lossRate) {
        return new ShadowStatus(name, policy.mode() == ShadowMode.SERVING, alive, capacity, pathScore,
            replicationLagMs, policy.stalenessMs(), rttMs, lossRate);
    }

    /** A healthy serving shadow with the given capacity: idle path, no lag, zero RTT, no loss, 1 s bound. */
    public static ShadowStatus healthy(String name, double capacity) {
        return new ShadowStatus(name, true, true, capacity, 0.0, 0.0, 1000.0, 0.0, 0.0);
    }

    public ShadowStatus withLagMs(double lagMs) {
        return new ShadowStatus(name, serving, alive, capacity, pathScore, lagMs, stalenessBoundMs, rttMs, lossRate);
    }

    public ShadowStatus withPathScore(double score) {
        return new ShadowStatus(name, serving, alive, capacity, score, replicationLagMs, stalenessBoundMs, rttMs,
            lossRate);
    }

    public ShadowStatus withNetwork(double rtt, double loss) {
        return new ShadowStatus(name, serving, alive, capacity, pathScore, replicationLagMs, stalenessBoundMs, rtt,
            loss);
    }

    public ShadowStatus withAlive(boolean isAlive) {
        return new ShadowStatus(name, serving, isAlive, capacity, pathScore, replicationLagMs, stalenessBoundMs, rttMs,
            lossRate);
    }

    private static void nonNegative(String shadow, String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new RedirectException("invalid " + shadow + " " + field + ": " + v + " (expected: >= 0, finite)");
        }
    }
}
