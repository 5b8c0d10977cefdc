package io.shadowvm.controller.failure;

/**
 * The phi-accrual failure detector for one monitored process. It keeps the last {@code windowSize}
 * inter-arrival times in a ring (no allocation per heartbeat) and answers, for the time since the last
 * heartbeat {@code t}, {@code phi = -log10(P(next interval > t))} with the interval modelled as a normal
 * distribution of the window's mean (plus an acceptable pause) and standard deviation (at least
 * {@code minStdDevMs}). phi 1 means a 10% chance the process is still alive and merely late, phi 8 one in
 * 10^8. The normal tail uses the logistic approximation {@code 1/(1+e^{y(1.5976+0.070566y²)})}, accurate
 * to about 1e-4 and monotonic.
 *
 * <p>Before the first interval is measured, the window is seeded with the expected heartbeat interval, so
 * a process that never sends a second heartbeat is still detected.
 */
public final class PhiAccrualDetector {
    private final PhiConfig config;
    private final long[] intervalsMs;
    private int count;
    private int next;
    private long sumMs;
    private long sumSquaresMs;
    private long lastHeartbeatMs = Long.MIN_VALUE;

    public PhiAccrualDetector(PhiConfig config) {
        this.config = config;
        this.intervalsMs = new long[config.windowSize()];
        add(config.expectedIntervalMs());
        add(config.expectedIntervalMs());
    }

    /** Records a heartbeat that arrived at {@code nowMs}. */
    public void heartbeat(long nowMs) {
        if (lastHeartbeatMs != Long.MIN_VALUE) {
            long interval = nowMs - lastHeartbeatMs;
            if (interval >= 0) {
                add(interval);
            }
        }
        lastHeartbeatMs = nowMs;
    }

    private void add(long interval) {
        if (count == intervalsMs.length) {
            long old = intervalsMs[next];
            sumMs -= old;
            sumSquaresMs -= old * old;
        } else {
            count++;
        }
        intervalsMs[next] = interval;
        sumMs += interval;
        sumSquaresMs += interval * interval;
        next = (next + 1) % intervalsMs.length;
    }

    /** Moves the last heartbeat forward by {@code ms}, at most to {@code nowMs}, without recording an interval. */
    public void shift(long ms, long nowMs) {
        if (started()) {
            lastHeartbeatMs = Math.max(lastHeartbeatMs, Math.min(nowMs, lastHeartbeatMs + ms));
        }
    }

    /** Whether any heartbeat arrived yet. */
    public boolean started() {
        return lastHeartbeatMs != Long.MIN_VALUE;
    }

    public long lastHeartbeatMs() {
        return lastHeartbeatMs;
    }

    public double meanIntervalMs() {
        return (double) sumMs / count;
    }

    /** The suspicion level at {@code nowMs}: 0 right after a heartbeat, growing with silence; 0 before the first. */
    public double phi(long nowMs) {
        return phi(nowMs, 0);
    }

    /** {@link #phi(long)} with {@code extraPauseMs} more forgiven. */
    public double phi(long nowMs, long extraPauseMs) {
        if (!started()) {
            return 0;
        }
        double elapsed = nowMs - lastHeartbeatMs;
        double mean = meanIntervalMs() + config.acceptablePauseMs() + extraPauseMs;
        double variance = (double) sumSquaresMs / count - meanIntervalMs() * meanIntervalMs();
        double std = Math.max(Math.sqrt(Math.max(variance, 0)), config.minStdDevMs());
        double y = (elapsed - mean) / std;
        double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
        double pLater = elapsed > mean ? e / (1.0 + e) : 1.0 - 1.0 / (1.0 + e);
        if (pLater < 1e-300) {
            return 300;
        }
        return -Math.log10(pLater);
    }
}
