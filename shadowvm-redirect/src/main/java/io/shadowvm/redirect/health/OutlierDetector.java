package io.shadowvm.redirect.health;

import java.util.Arrays;

/**
 * Consecutive-error outlier ejection for a fixed list of backends. Single-threaded (owned by the routing control
 * thread); time is passed in. The n-th ejection of a backend lasts {@code min(base × 2^(n-1), max)}; a backend
 * that stays un-ejected for {@code max} has its count forgotten.
 */
public final class OutlierDetector {
    private final OutlierConfig config;
    private final int[] consecutive;
    private final int[] ejections;
    private final long[] ejectedUntilNs;
    private final long[] returnedAtNs;
    private final boolean[] ejected;

    public OutlierDetector(OutlierConfig config, int backends) {
        this.config = config;
        this.consecutive = new int[backends];
        this.ejections = new int[backends];
        this.ejectedUntilNs = new long[backends];
        this.returnedAtNs = new long[backends];
        this.ejected = new boolean[backends];
    }

    public void onSuccess(int backend) {
        consecutive[backend] = 0;
    }

    /** Records a failure; returns true when it ejected the backend. */
    public boolean onFailure(int backend, long nowNs) {
        consecutive[backend]++;
        if (ejected[backend] || consecutive[backend] < config.consecutiveErrors()) {
            return false;
        }
        int limit = (int) Math.floor(ejected.length * config.maxEjectionPercent() / 100.0);
        if (ejectedCount() + 1 > Math.max(limit, 0)) {
            return false;
        }
        ejections[backend]++;
        long duration = config.baseEjectionNs();
        for (int i = 1; i < ejections[backend] && duration < config.maxEjectionNs(); i++) {
            duration *= 2;
        }
        ejectedUntilNs[backend] = nowNs + Math.min(duration, config.maxEjectionNs());
        ejected[backend] = true;
        consecutive[backend] = 0;
        return true;
    }

    /** Returns ejected backends whose time is up; true when any came back. */
    public boolean tick(long nowNs) {
        boolean changed = false;
        for (int i = 0; i < ejected.length; i++) {
            if (ejected[i] && nowNs - ejectedUntilNs[i] >= 0) {
                ejected[i] = false;
                returnedAtNs[i] = nowNs;
                changed = true;
            } else if (!ejected[i] && ejections[i] > 0 && nowNs - returnedAtNs[i] >= config.maxEjectionNs()) {
                ejections[i] = 0;
            }
        }
        return changed;
    }

    public boolean isEjected(int backend) {
        return ejected[backend];
    }

    public int ejectedCount() {
        int n = 0;
        for (boolean e : ejected) {
            n += e ? 1 : 0;
        }
        return n;
    }

    /** How long the current (or last) ejection of a backend lasts, for tests and stats. */
    public long ejectedUntilNs(int backend) {
        return ejectedUntilNs[backend];
    }

    /**
     * The weights to route by: configured weights with ejected backends at 0, unless fewer than the panic
     * threshold of the weighted backends (or none with weight) remain, in which case the configured weights
     * (Envoy's panic routing: better to try everyone than to overload the few left).
     */
    public double[] effectiveWeights(double[] configured) {
        int hosts = 0;
        int healthyHosts = 0;
        double healthyWeight = 0;
        double[] out = Arrays.copyOf(configured, configured.length);
        for (int i = 0; i < out.length; i++) {
            if (configured[i] > 0) {
                hosts++;
            }
            if (ejected[i]) {
                out[i] = 0;
            } else if (configured[i] > 0) {
                healthyHosts++;
                healthyWeight += configured[i];
            }
        }
        if (!(healthyWeight > 0) || healthyHosts * 100L < (long) hosts * config.panicThresholdPercent()) {
            return Arrays.copyOf(configured, configured.length);
        }
        return out;
    }

    /** Whether {@link #effectiveWeights} is in panic mode for these configured weights. */
    public boolean panic(double[] configured) {
        double[] eff = effectiveWeights(configured);
        for (int i = 0; i < eff.length; i++) {
            if (ejected[i] && eff[i] > 0) {
                return true;
            }
        }
        return false;
    }
}
