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
import io.shadowvm.hypervisor.qemu.GuestImage;
import io.shadowvm.hypervisor.qemu.QemuNotFoundException;
import io.shadowvm.hypervisor.qemu.QemuVm;
import org.junit.jupiter.api.Assumptions;
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

    /**
     * Takes epochs (VM epochs from {@code vmEpoch}, sync epochs from {@code syncEpoch}), one per 200 ms whether
     * acknowledged or not, as a primary does, until the shadow reports one; returns its VM epoch.
     */
    private static long shipUntilAcknowledged(SyncSource source, VmRuntime b, long vmEpoch, long syncEpoch) {
        long[] next = {vmEpoch, syncEpoch, System.nanoTime()};
        EpochTicket[] last = {source.takeEpoch(critical(vmEpoch, syncEpoch, false))};
        RuntimeThread.await("the shadow acknowledges VM epoch " + vmEpoch + " or later", Duration.ofSeconds(30), () -> {
            if (last[0].shipped().isDone() && System.nanoTime() - next[2] > 200_000_000L) {
                next[0]++;
                next[1]++;
                next[2] = System.nanoTime();
                last[0] = source.takeEpoch(critical(next[0], next[1], false));
            }
            return shadow(b).epoch() >= vmEpoch;
        });
        return shadow(b).epoch();
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

                EpochTicket bad = source.takeEpoch(critical(42, 2, true));
                RuntimeThread.await("the sink rejects epoch 2", Duration.ofSeconds(30),
                    () -> shadow(b).state().contains("refused"));
                VmRuntime.Instance s = shadow(b);
                assertThat(s.epoch()).as("the controller never sees the corrupted epoch as acknowledged").isEqualTo(41);
                assertThat(s.state()).startsWith("replica at epoch 41; refused: VM db epoch 42: device state CRC32C");
                assertThat(b.promotableVmEpoch("db")).as("never applied: the previous epoch stays promotable").isEqualTo(41);
                assertThat(bad.acked().isDone() && !bad.acked().isCompletedExceptionally()).isFalse();
                assertThat(shadow(b).syncAddress()).as("still a shadow, same sink").isEqualTo(sink);

                // the source reconnects; the shadow joins again at an epoch taken after that
                long vmEpoch = shipUntilAcknowledged(source, b, 43, 3);
                assertThat(shadow(b).epoch()).isEqualTo(vmEpoch);
                assertThat(shadow(b).state()).isEqualTo("replica at epoch " + vmEpoch);
            }
        }
    }

    @Test
    void aPromotionQemuRefusesLeavesTheShadowInPlaceOnTheSameSink() throws IOException {
        GuestImage image;
        try {
            QemuVm.requireBinary("qemu-system-x86_64");
            image = GuestImage.build();
        } catch (QemuNotFoundException e) {
            System.out.println("SKIP refused-promotion test: " + e.getMessage());
            Assumptions.assumeTrue(false, e.getMessage());
            return;
        }
        Path ram = work.resolve("primary.ram");
        try (RandomAccessFile f = new RandomAccessFile(ram.toFile(), "rw")) {
            f.setLength(MIB << 20);
        }
        GuestImage img = image;
        try (QemuGuestRuntime b = new QemuGuestRuntime("hostb", work.resolve("hostb"), null, "127.0.0.1", 200,
                EpochClock.SYSTEM, () -> img);
             MappedFileRegion region = MappedFileRegion.openReadOnly(ram)) {
            String sink = b.openShadow("db", 1, false, "qemu", MIB);
            try (SyncSource source = SyncSource.start(new SyncSource.Context().region(region).tracker(new HashScanTracker())
                    .shadows(List.of(QemuHostEnv.parseAddress(sink))).reconnectDelayMs(50))) {
                assertThat(source.awaitShadowsReady(Duration.ofSeconds(30))).isTrue();
                ship(source, critical(41, 1, false));
                // the blob verifies, but it is no QEMU migration stream: QEMU itself refuses it
                assertThatThrownBy(() -> b.promote("db", 2)).isInstanceOf(ShadowVmException.class)
                    .hasMessageContaining("promotion of db on hostb from VM epoch 41 failed: ").hasMessageEndingWith("; it stays a shadow");
                assertThat(shadow(b).syncAddress()).isEqualTo(sink);
                assertThat(b.instances()).noneMatch(VmRuntime.Instance::primary);
                assertThat(shadow(b).epoch()).isEqualTo(41);
                assertThat(b.promotableVmEpoch("db")).isEqualTo(41);
                // Not asserted: that the source's epochs reach the reopened sink. In sync as of fcd1014 a sink reopened
                // on an existing replica answers the source's resume with page hashes and then stops reading
                // (reported to the sync owner); a primary that still runs is rarely promoted over anyway.
                assertThat(shadow(b).syncAddress()).isEqualTo(sink);
            }
        }
        assertThat(ProcessHandle.current().descendants().filter(h -> h.info().command().orElse("").contains("qemu")))
            .isEmpty();
    }

    @Test
    void anEpochWithoutAVmEpochTagIsRejectedBeforeItIsApplied() throws IOException {
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
                source.takeEpoch(new byte[] {1, 2, 3});
                RuntimeThread.await("the sink rejects the untagged epoch", Duration.ofSeconds(30),
                    () -> shadow(b).state().contains("refused"));
                assertThat(shadow(b).epoch()).isZero();
                assertThat(shadow(b).state()).isEqualTo("syncing; refused: VM db sync epoch 1: critical blob of 3 bytes "
                    + "carries no VM epoch tag (expected: \"SVME\", the VM epoch, then the device state)");
            }
        }
    }
}
