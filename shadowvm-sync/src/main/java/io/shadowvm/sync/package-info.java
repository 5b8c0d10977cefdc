/**
 * The State Synchronization Engine: mirrors a primary's memory region plus an opaque "critical state" blob
 * to one or more shadows, one consistent epoch at a time.
 *
 * <p>Public entry points: {@link io.shadowvm.sync.SyncSource} (primary side: take an epoch while the guest
 * is paused, ship it asynchronously) and {@link io.shadowvm.sync.SyncSink} (shadow side: stage, apply
 * atomically, acknowledge, expose the newest consistent epoch). Subpackages hold the pieces: {@code region}
 * (memory regions), {@code dirty} (dirty trackers), {@code codec} (page delta codec and batch compression),
 * {@code wire} (frame formats and the frame decoder), {@code sink} (the replica store and its journal),
 * {@code source} (the sender agent and its per-shadow sessions). Nothing here depends on the hypervisor.
 */
package io.shadowvm.sync;
