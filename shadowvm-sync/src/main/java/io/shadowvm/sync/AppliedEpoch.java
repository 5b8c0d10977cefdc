package io.shadowvm.sync;

import java.nio.ByteBuffer;

/**
 * An epoch a sink has applied: the replica now holds exactly the source's region at this epoch.
 *
 * @param streamId the source run that produced it (epoch numbers restart with each source run)
 * @param epoch the epoch number within that stream
 * @param critical the critical-state blob of that epoch (read-only)
 * @param pages pages written by this epoch
 * @param appliedAtMs sink wall clock when the apply finished
 */
public record AppliedEpoch(long streamId, long epoch, ByteBuffer critical, long pages, long appliedAtMs) {
    public AppliedEpoch {
        critical = critical.asReadOnlyBuffer();
    }

    /** A copy of the critical-state blob. */
    public byte[] criticalBytes() {
        ByteBuffer b = critical.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
