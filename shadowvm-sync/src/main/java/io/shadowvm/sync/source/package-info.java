/**
 * The primary side: {@link io.shadowvm.sync.source.SenderAgent} owns all replication state (page hashes and
 * epochs, the last-shipped page cache, per-shadow sessions, the ship queue) and runs as one Agrona-style
 * agent; Netty handlers only turn frames into events on its queue. {@link io.shadowvm.sync.source.EpochSnapshot}
 * is the copy of an epoch's pages taken while the guest is paused.
 */
package io.shadowvm.sync.source;
