/**
 * The sync wire format (version 1): frames with a 16-byte header (magic, format version, type, flags,
 * payload length, CRC32C), one record per frame type with its ASCII layout, the bounded frame decoder (a
 * {@code CORRUPTED} state it never leaves), the error codes, and the Netty transport choice (native epoll
 * when available, NIO otherwise). The full description is {@code docs/sync-protocol.md}; golden files of
 * every frame live under the test resources.
 */
package io.shadowvm.sync.wire;
