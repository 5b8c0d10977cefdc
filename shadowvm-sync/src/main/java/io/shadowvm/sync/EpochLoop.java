package io.shadowvm.sync;

import io.shadowvm.core.time.NanoClock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Paces epochs: one every {@code epochMs}, but never before the previous epoch was fully sent, so a
 * bandwidth-limited source lengthens its epochs (and counts each late start) instead of queueing them
 * without bound. The caller supplies the pause around {@code takeEpoch} via {@link Pausable}.
 */
public final class EpochLoop {
    /** Takes one epoch with the guest paused (e.g. QMP stop, takeEpoch, cont). */
    @FunctionalInterface
    public interface Pausable {
        EpochTicket takeEpochPaused(SyncSource source);
    }

    private final SyncSource source;
    private final long epochNs;
    private final NanoClock clock;
    private long nextNs;
    private EpochTicket previous;

    public EpochLoop(SyncSource source, long epochMs, NanoClock clock) {
        if (epochMs < 1) {
            throw new SyncException("invalid epoch interval: " + epochMs + " ms (expected: >= 1)");
        }
        this.source = source;
        this.epochNs = TimeUnit.MILLISECONDS.toNanos(epochMs);
        this.clock = clock;
        this.nextNs = clock.nanoTime() + epochNs;
    }

    /** Nanoseconds until the next epoch is due (≤ 0: due now). */
    public long dueInNs() {
        return nextNs - clock.nanoTime();
    }

    /**
     * Takes the next epoch if it is due and the previous one is sent; returns it, or {@code null} when it is
     * not time yet. A due epoch that waits for the previous send is counted as lengthened once.
     */
    public EpochTicket poll(Pausable pausable) {
        long now = clock.nanoTime();
        if (now < nextNs) {
            return null;
        }
        if (previous != null && !previous.shipped().isDone()) {
            if (!lateCounted) {
                source.countLengthenedEpoch();
                lateCounted = true;
            }
            return null;
        }
        lateCounted = false;
        previous = pausable.takeEpochPaused(source);
        nextNs = Math.max(nextNs + epochNs, now + epochNs / 2);
        return previous;
    }

    private boolean lateCounted;

    /** The most recent epoch taken by this loop, or {@code null}. */
    public EpochTicket previous() {
        return previous;
    }

    /** A loop body for callers without a guest to pause (e.g. a region written through the API). */
    public static Pausable unpaused(Supplier<byte[]> critical) {
        return s -> s.takeEpoch(critical.get());
    }
}
