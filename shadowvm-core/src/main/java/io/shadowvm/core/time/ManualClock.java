package io.shadowvm.core.time;

import java.util.concurrent.TimeUnit;

/**
 * A clock that moves only when told to: the one fake the project allows (time). Serves as both a
 * {@link NanoClock} and an {@link EpochClock}; the two stay consistent (epoch millis = start + nanos / 1e6).
 * Single-threaded by contract: the test thread advances it.
 */
public final class ManualClock implements NanoClock, EpochClock {
    private final long epochOriginMillis;
    private long nanos;

    public ManualClock() {
        this(1_700_000_000_000L);
    }

    public ManualClock(long epochOriginMillis) {
        this.epochOriginMillis = epochOriginMillis;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long epochMillis() {
        return epochOriginMillis + TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    public ManualClock advance(long amount, TimeUnit unit) {
        if (amount < 0) {
            throw new IllegalArgumentException("invalid advance: " + amount + " (expected: >= 0)");
        }
        nanos += unit.toNanos(amount);
        return this;
    }

    public ManualClock advanceMillis(long millis) {
        return advance(millis, TimeUnit.MILLISECONDS);
    }
}
