package io.shadowvm.agent.runtime;

import java.nio.ByteBuffer;

/**
 * The VM epoch (and, from format 2 on, the primary's state digest of that epoch) in a sync epoch's critical
 * blob. A source restarts its stream (epochs from 1) when a shadow is added, so the epoch the controller compares
 * across shadows is this VM epoch.
 *
 * <pre>
 *   format 1 (12 bytes)          format 2 (20 bytes)
 *   0       4       12           0       4       12      20
 *   +-------+-------+            +-------+-------+-------+
 *   | SVME  | epoch |            | SVMD  | epoch | digest|
 *   +-------+-------+            +-------+-------+-------+
 *   magic u32 big-endian, VM epoch u64, state digest u64 (XXH64 over the big-endian page-hash array)
 * </pre>
 *
 * Readers accept both; a blob of another length or magic is not ours (-1 / 0).
 */
final class VmEpochBlob {
    static final int MAGIC = 0x53564D45; // "SVME"
    static final int MAGIC_DIGEST = 0x53564D44; // "SVMD"

    private VmEpochBlob() {
    }

    static byte[] encode(long vmEpoch) {
        return ByteBuffer.allocate(12).putInt(MAGIC).putLong(vmEpoch).array();
    }

    static byte[] encode(long vmEpoch, long digest) {
        return ByteBuffer.allocate(20).putInt(MAGIC_DIGEST).putLong(vmEpoch).putLong(digest).array();
    }

    /** The VM epoch in a critical blob, or -1 when it is not one of ours. */
    static long epoch(byte[] critical) {
        if (critical == null || (critical.length != 12 && critical.length != 20)) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(critical);
        int magic = b.getInt();
        boolean ok = critical.length == 12 ? magic == MAGIC : magic == MAGIC_DIGEST;
        return ok ? b.getLong() : -1;
    }

    /** The primary's state digest in a format-2 blob, or 0 when the blob carries none. */
    static long digest(byte[] critical) {
        if (epoch(critical) < 0 || critical.length != 20) {
            return 0;
        }
        return ByteBuffer.wrap(critical).getLong(12);
    }
}
