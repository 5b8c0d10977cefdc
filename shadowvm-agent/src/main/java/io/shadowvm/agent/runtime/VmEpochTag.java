package io.shadowvm.agent.runtime;

import io.shadowvm.hypervisor.checkpoint.DeviceStateBlob;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The critical blob of a QEMU guest's sync epoch: the VM epoch (continuous across sync streams; a source restarts
 * from sync epoch 1 whenever a shadow is added) in front of the epoch's device state. The first 12 bytes are the
 * process guests' tag ({@link ProcessGuestRuntime}), so both kinds carry the VM epoch the same way:
 *
 * <pre>
 *   0       4       12                         12 + n
 *   +-------+-------+--------------------------+
 *   | SVME  | epoch | device state (n bytes)   |   magic "SVME" (u32, big-endian), VM epoch (u64, big-endian),
 *   +-------+-------+--------------------------+   then a {@link DeviceStateBlob} ("SVDS", version, CRC32C, QEVM...)
 * </pre>
 */
final class VmEpochTag {
    static final int MAGIC = 0x53564D45; // "SVME"
    static final int BYTES = 12;

    private VmEpochTag() {
    }

    /** The 12-byte tag of {@code vmEpoch}. */
    static byte[] of(long vmEpoch) {
        return ByteBuffer.allocate(BYTES).putInt(MAGIC).putLong(vmEpoch).array();
    }

    /** The VM epoch of a tagged critical blob, or -1 when it carries no tag. */
    static long vmEpoch(byte[] critical) {
        if (critical == null || critical.length < BYTES) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(critical);
        return b.getInt() == MAGIC ? b.getLong() : -1;
    }

    /** The device-state blob behind the tag (a copy; not yet verified). */
    static byte[] deviceState(byte[] critical) {
        return Arrays.copyOfRange(critical, BYTES, critical.length);
    }
}
