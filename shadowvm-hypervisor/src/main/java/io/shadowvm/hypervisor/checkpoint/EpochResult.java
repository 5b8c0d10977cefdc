package io.shadowvm.hypervisor.checkpoint;

/**
 * Timings and sizes of one checkpoint. All times are in microseconds of the checkpointer's clock.
 *
 * @param epoch the epoch number
 * @param stopUs {@code stop} round trip
 * @param devStateUs device-state migration (from {@code migrate} to {@code completed})
 * @param dirtyUs finding dirty pages and copying them into the frame, inside the pause
 * @param shipUs shipping + waiting for the ack inside the pause (output commit only, else 0)
 * @param contUs {@code cont} round trip
 * @param pauseUs stop → cont completed (the guest's downtime)
 * @param afterResumeUs work after {@code cont} (deferred diff + encode)
 * @param dirtyPages pages in the epoch
 * @param devStateBytes device-state blob bytes
 * @param frameBytes epoch frame bytes (what goes on the wire)
 */
public record EpochResult(long epoch, long stopUs, long devStateUs, long dirtyUs, long shipUs, long contUs, long pauseUs,
                          long afterResumeUs, int dirtyPages, int devStateBytes, int frameBytes) {
}
