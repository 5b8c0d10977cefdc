package io.shadowvm.sync.source;

import io.shadowvm.core.time.NanoClock;

/**
 * A byte token bucket: {@code rate} bytes per second, at most {@code burst} saved up. Sending may overdraw
 * (a frame is never split); the sender waits while the balance is negative. Rate 0 = unlimited.
 */
public final class TokenBucket {
    private final long bytesPerSecond;
    private final long burstBytes;
    private final NanoClock clock;
    private double tokens;
    private long lastNs;

    public TokenBucket(long bytesPerSecond, long burstBytes, NanoClock clock) {
        if (bytesPerSecond < 0 || burstBytes < 0) {
            throw new IllegalArgumentException("invalid token bucket: rate " + bytesPerSecond + " B/s, burst "
                + burstBytes + " B (expected: >= 0)");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burstBytes = burstBytes;
        this.clock = clock;
        this.tokens = burstBytes;
        this.lastNs = clock.nanoTime();
    }

    public boolean unlimited() {
        return bytesPerSecond == 0;
    }

    /** True when sending may proceed now. */
    public boolean ready() {
        if (unlimited()) {
            return true;
        }
        long now = clock.nanoTime();
        tokens = Math.min(burstBytes, tokens + (now - lastNs) * (bytesPerSecond / 1e9));
        lastNs = now;
        return tokens >= 0;
    }

    public void consume(long bytes) {
        if (!unlimited()) {
            tokens -= bytes;
        }
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }
}
