package io.shadowvm.hypervisor.checkpoint;

import io.shadowvm.core.agent.Agent;
import io.shadowvm.sync.EpochLoop;
import io.shadowvm.sync.EpochTicket;
import io.shadowvm.sync.SyncSource;
import java.util.ArrayDeque;
import org.HdrHistogram.Histogram;

/**
 * Shadows one guest continuously: an {@link Agent} whose {@link #doWork()} takes an epoch when sync's
 * {@link EpochLoop} says one is due (never before the previous one is sent), and releases held output once an
 * epoch is acknowledged. With output commit, the next epoch also waits for the previous one's ack: the holding
 * buffer must only ever contain acknowledged-or-in-flight output of exactly one epoch. One thread (the runner's)
 * owns the checkpointer, the QMP connection and this agent's state.
 */
public final class ShadowingAgent implements Agent {
    /** What the agent drives: a guest checkpointed into sync while paused. {@link QemuCheckpointer} is one. */
    public interface Checkpointable {
        /** Pause, hand epoch {@code epoch} to {@code source}, resume. */
        QemuCheckpointer.SyncEpoch takePaused(long epoch, SyncSource source);

        /** True when the guest's output is held until acks (output commit). */
        boolean holdsOutput();

        /** Releases the output of acknowledged epochs. */
        void releaseOutput();
    }

    private final Checkpointable guest;
    private final EpochLoop loop;
    private final ArrayDeque<EpochTicket> unacked = new ArrayDeque<>();
    private final Histogram pauseUs = new Histogram(60_000_000L, 3);
    private long nextEpoch = 1;
    private long lastAckedEpoch;
    private long failedAcks;

    public ShadowingAgent(Checkpointable guest, EpochLoop loop) {
        this.guest = guest;
        this.loop = loop;
    }

    @Override
    public int doWork() {
        int work = 0;
        while (!unacked.isEmpty() && unacked.peekFirst().acked().isDone()) {
            EpochTicket t = unacked.pollFirst();
            if (t.acked().isCompletedExceptionally()) {
                failedAcks++;
                continue;
            }
            lastAckedEpoch = t.epoch();
            if (guest.holdsOutput()) {
                guest.releaseOutput();
            }
            work++;
        }
        if (guest.holdsOutput() && !unacked.isEmpty()) {
            return work; // output commit: one unacknowledged epoch at a time
        }
        EpochTicket t = loop.poll(source -> {
            QemuCheckpointer.SyncEpoch se = guest.takePaused(nextEpoch, source);
            pauseUs.recordValue(Math.min(se.result().pauseUs(), pauseUs.getHighestTrackableValue()));
            return se.ticket();
        });
        if (t != null) {
            nextEpoch++;
            unacked.addLast(t);
            work++;
        }
        return work;
    }

    /** The newest epoch acknowledged by every live shadow (0 before the first). */
    public long lastAckedEpoch() {
        return lastAckedEpoch;
    }

    /** Epochs taken so far. */
    public long epochsTaken() {
        return nextEpoch - 1;
    }

    public long failedAcks() {
        return failedAcks;
    }

    /** Pause (stop → cont) distribution in microseconds; read on the agent's thread or after it stopped. */
    public Histogram pauseUs() {
        return pauseUs;
    }

    @Override
    public String roleName() {
        return "shadowing";
    }
}
