package io.shadowvm.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.agent.VmRuntime;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.hypervisor.checkpoint.DeviceStateBlob;
import io.shadowvm.sync.EpochTicket;
import io.shadowvm.sync.SyncSource;
import io.shadowvm.sync.dirty.HashScanTracker;
import io.shadowvm.sync.region.MappedFileRegion;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A QEMU guest's shadow checks each epoch's device state when it arrives, without QEMU: a sync source over a plain
 * file plays the primary and ships epochs whose critical blob is the VM epoch tag and a device-state blob.
 */
class QemuShadowDeviceStateTest {
    private static final long MIB = 64;

    @TempDir
    Path work;

    private static byte[] critical(long vmEpoch, long syncEpoch, boolean corrupt) {
        byte[] payload = ("QEVM device state of VM epoch " + vmEpoch).getBytes(StandardCharsets.US_ASCII);
        byte[] dev = DeviceStateBlob.wrap(syncEpoch, payload, payload.length);
        if (corrupt) {
            dev[DeviceStateBlob.HEADER_BYTES + 10] ^= 0x5A;
        }
        byte[] tag = VmEpochTag.of(vmEpoch);
        byte[] out = new byte[tag.length + dev.length];
        System.arraycopy(tag, 0, out, 0, tag.length);
        System.arraycopy(dev, 0, out, tag.length, dev.length);
        return out;
    }

    private static void ship(SyncSource source, byte[] critical) {
        EpochTicket t = source.takeEpoch(critical);
        assertThat(source.awaitAcked(t, Duration.ofSeconds(30))).as("epoch %d acknowledged", t.epoch()).isTrue();
    }

    private static VmRuntime.Instance shadow(VmRuntime r) {
        return r.instances().stream().filter(i -> !i.primary()).findFirst().orElseThrow();
    }

    @Test
    void aCorruptedDeviceStateIsRefusedAndTheShadowStaysPromotableByTheNextGoodEpoch() throws IOException {
        Path ram = work.resolve("primary.ram");
        try (RandomAccessFile f = new RandomAccessFile(ram.toFile(), "rw")) {
            f.setLength(MIB << 20);
            f.write("guest memory".getBytes(StandardCharsets.US_ASCII));
        }
        try (QemuGuestRuntime b = new QemuGuestRuntime("hostb", work.resolve("hostb"), null, "127.0.0.1", 200,
                EpochClock.SYSTEM, () -> {
                    throw new ShadowVmException("a shadow needs no guest image until it is promoted");
                });
             MappedFileRegion region = MappedFileRegion.openReadOnly(ram)) {
            String sink = b.openShadow("db", 1, false, "qemu", MIB);
            assertThat(b.openShadow("db", 1, false, "qemu", MIB)).as("idempotent").isEqualTo(sink);
            assertThat(shadow(b).state()).isEqualTo("syncing");
            assertThatThrownBy(() -> b.promote("db", 2)).hasMessageContaining("holds no whole epoch yet");

            try (SyncSource source = SyncSource.start(new SyncSource.Context().region(region).tracker(new HashScanTracker())
                    .shadows(List.of(QemuHostEnv.parseAddress(sink))))) {
                assertThat(source.awaitShadowsReady(Duration.ofSeconds(30))).isTrue();
                ship(source, critical(41, 1, false));
                assertThat(shadow(b).epoch()).isEqualTo(41);
                assertThat(shadow(b).state()).isEqualTo("replica at epoch 41");

                ship(source, critical(42, 2, true));
                VmRuntime.Instance s = shadow(b);
                assertThat(s.epoch()).as("the controller never sees the corrupted epoch as acknowledged").isEqualTo(41);
                assertThat(s.state()).contains("refused: VM db epoch 42: device state CRC32C");
                assertThatThrownBy(() -> b.promote("db", 2)).isInstanceOf(ShadowVmException.class)
                    .hasMessageContaining("refuses to promote: the device state of its newest epoch is corrupted");
                assertThat(shadow(b).syncAddress()).as("still a shadow, same sink").isEqualTo(sink);

                ship(source, critical(43, 3, false));
                assertThat(shadow(b).epoch()).isEqualTo(43);
                assertThat(shadow(b).state()).isEqualTo("replica at epoch 43");
            }
        }
    }

    @Test
    void anEpochWithoutAVmEpochTagIsNotCountedAsAcknowledged() throws IOException {
        Path ram = work.resolve("p.ram");
        try (RandomAccessFile f = new RandomAccessFile(ram.toFile(), "rw")) {
            f.setLength(MIB << 20);
        }
        try (QemuGuestRuntime b = new QemuGuestRuntime("hostb", work.resolve("hostb"), null, "127.0.0.1", 200,
                EpochClock.SYSTEM, () -> null);
             MappedFileRegion region = MappedFileRegion.openReadOnly(ram)) {
            String sink = b.openShadow("db", 1, false, "qemu", MIB);
            try (SyncSource source = SyncSource.start(new SyncSource.Context().region(region).tracker(new HashScanTracker())
                    .shadows(List.of(QemuHostEnv.parseAddress(sink))))) {
                assertThat(source.awaitShadowsReady(Duration.ofSeconds(30))).isTrue();
                ship(source, new byte[] {1, 2, 3});
                assertThat(shadow(b).epoch()).isZero();
                assertThat(shadow(b).state()).contains("carries no VM epoch tag");
            }
        }
    }
}
