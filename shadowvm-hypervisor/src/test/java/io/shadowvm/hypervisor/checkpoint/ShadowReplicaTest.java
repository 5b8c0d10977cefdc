package io.shadowvm.hypervisor.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Epoch frames from a mapped "guest RAM" file into a replica, over the real TCP sink. */
class ShadowReplicaTest {
    private static final int PAGES = 64;
    private static final byte[] STREAM = "QEVM\0\0\0\3cpu and devices".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path dir;
    private GuestRam primary;
    private Path primaryFile;
    private final Random rnd = new Random(42);

    @BeforeEach
    void setUp() {
        primaryFile = dir.resolve("primary.ram");
        primary = GuestRam.openWritable(primaryFile, PAGES * 4096L);
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    private void scribble(int page) {
        byte[] p = new byte[4096];
        rnd.nextBytes(p);
        primary.writePage(page, p, 0);
    }

    private byte[] frame(long epoch, HashScanTracker t, EpochFrame f) {
        long[] dirty = new long[1];
        t.collectInPause(dirty);
        byte[] blob = DeviceStateBlob.wrap(epoch, STREAM, STREAM.length);
        int len = f.encode(epoch, blob, primary, dirty);
        return Arrays.copyOf(f.buffer(), len);
    }

    private static void apply(ShadowReplica r, byte[] frame) {
        EpochFrame.Header h = EpochFrame.readHeader(frame, r.ram().sizeBytes());
        r.apply(h, Arrays.copyOfRange(frame, EpochFrame.HEADER_BYTES, frame.length));
    }

    private void assertSameAsPrimary(ShadowReplica r) {
        for (int p = 0; p < PAGES; p++) {
            assertThat(r.ram().samePage(p, primary)).as("page %d", p).isTrue();
        }
    }

    @Test
    void shouldReproduceThePrimaryAfterEveryEpochShippingOnlyDirtyAndZeroPages() {
        HashScanTracker t = new HashScanTracker(primary);
        EpochFrame f = new EpochFrame();
        scribble(3);
        try (ShadowReplica r = ShadowReplica.open(dir.resolve("rep"), dir.resolve("rep.ram"), PAGES * 4096L)) {
            apply(r, frame(0, t, f));
            assertSameAsPrimary(r);
            scribble(5);
            scribble(60);
            byte[] second = frame(1, t, f);
            assertThat(EpochFrame.readHeader(second, PAGES * 4096L).records()).isEqualTo(2);
            apply(r, second);
            assertSameAsPrimary(r);
            assertThat(r.committedEpoch()).isEqualTo(1);
            assertThat(r.promotable().migrationStream()).isEqualTo(STREAM);
        }
    }

    @Test
    void shouldRefuseACorruptedDeviceStateAndStayPromotableAtThePreviousEpoch() {
        HashScanTracker t = new HashScanTracker(primary);
        EpochFrame f = new EpochFrame();
        try (ShadowReplica r = ShadowReplica.open(dir.resolve("rep"), dir.resolve("rep.ram"), PAGES * 4096L)) {
            apply(r, frame(0, t, f));
            scribble(9);
            byte[] bad = frame(1, t, f);
            bad[EpochFrame.HEADER_BYTES + DeviceStateBlob.HEADER_BYTES + 5] ^= 0x40;
            reseal(bad);
            byte[] before = new byte[4096];
            r.ram().readPage(9, before, 0);
            assertThatThrownBy(() -> apply(r, bad)).isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("device state CRC32C");
            byte[] after = new byte[4096];
            r.ram().readPage(9, after, 0);
            assertThat(after).isEqualTo(before);
            assertThat(r.committedEpoch()).isZero();
            assertThat(r.promotable().epoch()).isZero();
        }
    }

    @Test
    void shouldRefuseToPromoteFromAStoredDeviceStateThatWasCorruptedOrTruncated() throws Exception {
        HashScanTracker t = new HashScanTracker(primary);
        try (ShadowReplica r = ShadowReplica.open(dir.resolve("rep"), dir.resolve("rep.ram"), PAGES * 4096L)) {
            apply(r, frame(0, t, new EpochFrame()));
            Path dev = r.devStateFile(0);
            byte[] good = Files.readAllBytes(dev);
            Files.write(dev, Arrays.copyOf(good, good.length - 3));
            assertThatThrownBy(r::promotable).isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("truncated");
            byte[] flipped = good.clone();
            flipped[flipped.length - 1] ^= 1;
            Files.write(dev, flipped);
            assertThatThrownBy(r::promotable).isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("CRC32C");
        }
    }

    @Test
    void shouldRedoAJournaledEpochAfterACrashMidApply() throws Exception {
        HashScanTracker t = new HashScanTracker(primary);
        EpochFrame f = new EpochFrame();
        Path repDir = dir.resolve("rep");
        byte[] second;
        try (ShadowReplica r = ShadowReplica.open(repDir, dir.resolve("rep.ram"), PAGES * 4096L)) {
            apply(r, frame(0, t, f));
            scribble(17);
            second = frame(1, t, f);
        }
        // a crash right after the commit point: the journal holds epoch 1, the RAM file and devstate do not
        Files.write(repDir.resolve("journal"), second);
        try (ShadowReplica r = ShadowReplica.open(repDir, dir.resolve("rep.ram"), PAGES * 4096L)) {
            assertThat(r.committedEpoch()).isEqualTo(1);
            assertSameAsPrimary(r);
            assertThat(Files.exists(repDir.resolve("journal"))).isFalse();
        }
    }

    @Test
    void shouldAckGoodEpochsAndRefuseBadOnesOverTheTcpSink() {
        HashScanTracker t = new HashScanTracker(primary);
        EpochFrame f = new EpochFrame();
        try (ShadowReplica r = ShadowReplica.open(dir.resolve("rep"), dir.resolve("rep.ram"), PAGES * 4096L);
             ReplicaSink sink = new ReplicaSink(r, "127.0.0.1");
             EpochLink link = new EpochLink(sink.address())) {
            byte[] first = frame(0, t, f);
            assertThat(link.ship(first, first.length)).isEqualTo(new EpochAck(0, true, ""));
            scribble(1);
            byte[] bad = frame(1, t, f);
            bad[bad.length - 1] ^= 1; // torn in flight: the frame CRC catches it
            EpochAck refused = link.ship(bad, bad.length);
            assertThat(refused.acked()).isFalse();
            assertThat(refused.reason()).contains("body CRC32C");
            assertThat(sink.ackedEpoch()).isZero();
        }
    }

    @Test
    void shouldRefuseAFrameWhoseLengthsExceedTheirBounds() {
        byte[] h = new byte[EpochFrame.HEADER_BYTES];
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putInt(EpochFrame.MAGIC).putShort((short) 1).putShort((short) 0)
                .putLong(1).putLong(PAGES * 4096L).putInt(PAGES + 1).putInt(10).putInt(100).putInt(0);
        assertThatThrownBy(() -> EpochFrame.readHeader(h, PAGES * 4096L)).hasMessageContaining("65 page records (expected: 0-64)");
        assertThatThrownBy(() -> EpochFrame.readHeader(h, 2 * PAGES * 4096L)).hasMessageContaining("expected: " + 2 * PAGES * 4096L);
    }

    private static void reseal(byte[] frame) {
        CRC32C crc = new CRC32C();
        crc.update(frame, EpochFrame.HEADER_BYTES, frame.length - EpochFrame.HEADER_BYTES);
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(36, (int) crc.getValue());
    }
}
