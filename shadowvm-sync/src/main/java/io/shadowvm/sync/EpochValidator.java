package io.shadowvm.sync;

import java.nio.ByteBuffer;

/**
 * A caller's check of an epoch's critical blob, run by a {@link SyncSink} after the whole epoch arrived and every
 * transport check passed (frame CRCs, counts, digest) and <b>before</b> anything of it is applied. The sync engine
 * only knows the blob as bytes; what makes it valid (e.g. a hypervisor's device state whose own CRC and magic
 * verify) is the caller's to say. A rejected epoch is never applied nor acknowledged, the replica keeps the
 * previous epoch, and the source is told why ({@code ERROR(EPOCH_REJECTED)}, see docs/sync-protocol.md).
 *
 * <p>Runs on the sink's I/O thread once per epoch: it must not block, and it must not keep {@code critical}
 * (a read-only view, valid only during the call).
 */
@FunctionalInterface
public interface EpochValidator {
    /** Accepts every epoch. */
    EpochValidator ACCEPT_ALL = (streamId, epoch, critical) -> null;

    /**
     * @param streamId the source run the epoch belongs to
     * @param epoch    the epoch number within that stream
     * @param critical the epoch's critical blob (read-only, position 0, limit = its length)
     * @return {@code null} to accept the epoch, otherwise why it is rejected (names the value and the bound; it
     *         reaches the source, the sink's {@code onError} and its rejection counter)
     */
    String check(long streamId, long epoch, ByteBuffer critical);
}
