package io.shadowvm.agent.uplink;

import io.shadowvm.core.ShadowVmException;

/**
 * A byte-rate limiter in the GCRA form: a theoretical arrival time that advances by {@code bytes / rate} per
 * admission, with {@code burstNs} of tolerance. {@link #reserve} returns how long the caller must wait before
 * sending; concurrent callers are served in reservation order. Thread-safe.
 */
public final class TokenBucket {
    private final long bytesPerSecond;
    private final double nsPerByte;
    private final long burstNs;
    private long tatNs = Long.MIN_VALUE;

    public TokenBucket(long bytesPerSecond, long burstNs) {
        if (bytesPerSecond < 1_000 || bytesPerSecond > 10_000_000_000L) {
            throw new ShadowVmException("invalid uplink rate: " + bytesPerSecond + " B/s (expected 1000..1e10)");
        }
        if (burstNs < 0 || burstNs > 10_000_000_000L) {
            throw new ShadowVmException("invalid uplink burst: " + burstNs + " ns (expected 0..1e10)");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nsPerByte = 1e9 / bytesPerSecond;
        this.burstNs = burstNs;
    }

    /** Admits {@code bytes} at {@code nowNs}; returns the nanoseconds to wait before they may be sent. */
    public synchronized long reserve(int bytes, long nowNs) {
        long start = tatNs == Long.MIN_VALUE ? nowNs : Math.max(tatNs, nowNs);
        tatNs = start + (long) (bytes * nsPerByte);
        return Math.max(0, tatNs - nowNs - burstNs);
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }
}
