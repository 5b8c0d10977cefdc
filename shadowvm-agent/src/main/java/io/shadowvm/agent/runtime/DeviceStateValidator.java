package io.shadowvm.agent.runtime;

import io.shadowvm.hypervisor.checkpoint.CorruptCheckpointException;
import io.shadowvm.hypervisor.checkpoint.DeviceStateBlob;
import io.shadowvm.sync.EpochValidator;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The sink-side check of a QEMU guest's epoch, before sync applies anything of it: the critical blob must be a
 * {@link VmEpochTag} followed by a {@link DeviceStateBlob} of this sync epoch whose magic, version, length, CRC32C and
 * {@code QEVM} payload verify. A rejected epoch is never applied nor acknowledged, so the replica keeps the previous
 * epoch, which stays promotable. Runs on the sink's I/O thread only; the copy buffer is reused.
 */
final class DeviceStateValidator implements EpochValidator {
    private final String vm;
    private final Consumer<String> onRejected;
    private byte[] buf = new byte[1 << 20];

    /** @param onRejected told why each rejected epoch was rejected */
    DeviceStateValidator(String vm, Consumer<String> onRejected) {
        this.vm = vm;
        this.onRejected = onRejected;
    }

    @Override
    public String check(long streamId, long epoch, ByteBuffer critical) {
        String why = why(epoch, critical);
        if (why != null) {
            onRejected.accept(why);
        }
        return why;
    }

    private String why(long epoch, ByteBuffer critical) {
        int len = critical.remaining() - VmEpochTag.BYTES;
        if (len < 0 || critical.getInt(critical.position()) != VmEpochTag.MAGIC) {
            return "VM " + vm + " sync epoch " + epoch + ": critical blob of " + critical.remaining()
                + " bytes carries no VM epoch tag (expected: \"SVME\", the VM epoch, then the device state)";
        }
        long vmEpoch = critical.getLong(critical.position() + 4);
        if (buf.length < len) {
            buf = new byte[Math.max(len, buf.length * 2)];
        }
        critical.get(critical.position() + VmEpochTag.BYTES, buf, 0, len);
        try {
            DeviceStateBlob.verify(buf, len, epoch, "VM " + vm + " epoch " + vmEpoch);
            return null;
        } catch (CorruptCheckpointException e) {
            return e.getMessage();
        }
    }
}
