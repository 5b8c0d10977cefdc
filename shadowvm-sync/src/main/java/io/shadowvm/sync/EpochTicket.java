package io.shadowvm.sync;

import java.util.concurrent.CompletableFuture;

/**
 * One epoch taken by {@link SyncSource#takeEpoch}: its pages are copied, the guest may resume. The futures
 * complete on the source's sender thread; do not block it from a callback.
 *
 * @param epoch the epoch number (1, 2, ... within this source's stream)
 * @param dirtyPages pages that changed since the previous epoch (the epoch's raw dirty bytes / 4096)
 * @param pauseNs time spent in {@code takeEpoch} (scan + copy), i.e. the pause this epoch added
 * @param shipped completes when every connected shadow has been sent the whole epoch
 * @param acked completes when every shadow (except ones that refused the stream) has applied this epoch
 *     or a later one
 */
public record EpochTicket(long epoch, long dirtyPages, long pauseNs, CompletableFuture<Void> shipped,
                          CompletableFuture<Void> acked) {
}
