package io.shadowvm.sync;

import io.shadowvm.core.time.NanoClock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Paces epochs: one every {@code epochMs}, but never before the previous epoch was fully sent and the one
 * before it acknowledged (at most two epochs in flight), so a source whose link, bandwidth cap or shadows
 * cannot keep up lengthens its epochs (and counts each late start) instead of queueing them in socket
 * buffers. The wait for that acknowledgement is bounded ({@code max(10 × epochMs, 1 s)}): a shadow that is
 * down must not stop the epochs it needs to catch up. The caller supplies the pause around
 * {@code takeEpoch} via {@link Pausable}.
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
    private EpochTicket beforePrevious;
    private final long maxAckWaitNs;

    public EpochLoop(SyncSource source, long epochMs, NanoClock clock) {
        if (epochMs < 1) {
            throw new SyncException("invalid epoch interval: " + epochMs + " ms (expected: >= 1)");
        }
        this.source = source;
        this.epochNs = TimeUnit.MILLISECONDS.toNanos(epochMs);
        this.clock = clock;
        this.nextNs = clock.nanoTime() + epochNs;
        this.maxAckWaitNs = Math.max(10 * epochNs, TimeUnit.SECONDS.toNanos(1));
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
        boolean ackPending = beforePrevious != null && !beforePrevious.acked().isDone() && now - nextNs < maxAckWaitNs;
        if ((previous != null && !previous.shipped().isDone()) || ackPending) {
            if (!lateCounted) {
                source.countLengthenedEpoch();
                lateCounted = true;
            }
            return null;
        }
        lateCounted = false;
        beforePrevious = previous;
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
