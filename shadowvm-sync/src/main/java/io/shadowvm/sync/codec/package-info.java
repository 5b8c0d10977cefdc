/**
 * The page codec: per page {@code ZERO}, an XOR + run-length {@code DELTA} against the copy the shadow
 * already has (a bounded cache of last-shipped pages, as QEMU's XBZRLE), or {@code RAW}; then per batch
 * LZ4 / zstd / none, only where it pays. Everything here works on caller-provided arrays: no allocation per
 * page. Formats are described in {@code docs/sync-protocol.md}.
 */
package io.shadowvm.sync.codec;
