package io.shadowvm.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.sync.codec.Compression;
import io.shadowvm.sync.region.HeapRegion;
import io.shadowvm.sync.region.MappedFileRegion;
import io.shadowvm.sync.region.MemoryRegion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndToEndTest {
    static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    static void scribble(MemoryRegion r, Random rnd, int writes) {
        byte[] b = new byte[64];
        for (int i = 0; i < writes; i++) {
            rnd.nextBytes(b);
            long off = (long) (rnd.nextDouble() * (r.sizeBytes() - b.length));
            r.write(off, b, 0, 1 + rnd.nextInt(b.length));
        }
    }

    static byte[] bytes(MemoryRegion r) {
        byte[] all = new byte[(int) r.sizeBytes()];
        r.read(0, all, 0, all.length);
        return all;
    }

    /** Shadows join at the next epoch taken after they connect: take (unchanged) epochs until one is acked. */
    static EpochTicket takeUntilAcked(SyncSource source, EpochTicket t, byte[] critical) {
        long deadline = System.nanoTime() + T.toNanos();
        while (!source.awaitAcked(t, Duration.ofMillis(100)) && System.nanoTime() < deadline) {
            t = source.takeEpoch(critical);
        }
        assertThat(t.acked()).as("%s", source.shadowStatus()).isDone();
        assertThat(source.agentErrors()).as("sender agent failures").isEmpty();
        return t;
    }

    @Test
    void shouldReplicateEpochsOverTcpUntilTheReplicaIsByteIdentical() throws Exception {
        HeapRegion primary = new HeapRegion(256 * 4096);
        Random rnd = new Random(7);
        List<AppliedEpoch> applied = new CopyOnWriteArrayList<>();
        try (SyncSink sink = SyncSink.start(new SyncSink.Context().replica(dir.resolve("replica.ram"))
                .createSizeBytes(primary.sizeBytes()).onApplied(applied::add));
             SyncSource source = SyncSource.start(new SyncSource.Context().region(primary)
                 .shadows(List.of(sink.localAddress())).verify(true).compression(Compression.LZ4))) {
            EpochTicket last = null;
            for (int e = 0; e < 5; e++) {
                scribble(primary, rnd, 200);
                last = source.takeEpoch(("device-state-" + e).getBytes());
            }
            last = takeUntilAcked(source, last, "device-state-4".getBytes());
            assertThat(sink.newestConsistentEpoch()).isEqualTo(last.epoch());
            assertThat(sink.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(bytes(primary));
            assertThat(new String(sink.newestEpoch().criticalBytes())).isEqualTo("device-state-4");
            assertThat(applied).isNotEmpty();
            SourceStats stats = source.stats();
            assertThat(stats.epochs()).isEqualTo(last.epoch());
            assertThat(stats.lastAckedEpoch()).isEqualTo(last.epoch());
            assertThat(stats.wireBytes()).isPositive();
        }
        byte[] onDisk = Files.readAllBytes(dir.resolve("replica.ram"));
        assertThat(onDisk).isEqualTo(bytes(primary));
    }

    @Test
    void shouldReplicateAMappedFileToTwoShadowsAndResumeAfterADroppedConnection() throws Exception {
        MappedFileRegion primary = MappedFileRegion.openOrCreate(dir.resolve("primary.ram"), 128 * 4096);
        Random rnd = new Random(11);
        try (SyncSink a = SyncSink.start(new SyncSink.Context().replica(dir.resolve("a.ram")).createSizeBytes(primary.sizeBytes()));
             SyncSink b = SyncSink.start(new SyncSink.Context().replica(dir.resolve("b.ram")).createSizeBytes(primary.sizeBytes()));
             SyncSource source = SyncSource.start(new SyncSource.Context().region(primary).reconnectDelayMs(20)
                 .shadows(List.of(a.localAddress(), b.localAddress())).verify(true).compression(Compression.ZSTD))) {
            EpochTicket t = null;
            for (int e = 0; e < 4; e++) {
                scribble(primary, rnd, 100);
                t = source.takeEpoch(new byte[] {(byte) e});
            }
            t = takeUntilAcked(source, t, new byte[] {9});
            source.dropConnections();
            for (int e = 0; e < 6; e++) {
                scribble(primary, rnd, 100);
                t = source.takeEpoch(new byte[] {(byte) e});
            }
            t = takeUntilAcked(source, t, new byte[] {9});
            byte[] expected = bytes(primary);
            assertThat(a.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(expected);
            assertThat(b.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(expected);
        }
    }

    @Test
    void shouldAckTheLastEpochWhenEpochsWereTakenWhileTheFirstCatchUpWasStillBeingSent() throws Exception {
        HeapRegion primary = new HeapRegion(1024 * 4096);
        Random rnd = new Random(13);
        byte[] all = new byte[(int) primary.sizeBytes()];
        rnd.nextBytes(all);
        primary.write(0, all, 0, all.length);
        try (SyncSink sink = SyncSink.start(new SyncSink.Context().replica(dir.resolve("r.ram")).createSizeBytes(primary.sizeBytes()));
             SyncSource source = SyncSource.start(new SyncSource.Context().region(primary).verify(true)
                 .bandwidthBytesPerSec(8L << 20).shadows(List.of(sink.localAddress())))) {
            assertThat(source.awaitShadowsReady(T)).isTrue();
            EpochTicket t = source.takeEpoch(new byte[] {1}); // a 4 MiB catch-up, ~0.5 s at the cap
            for (int e = 2; e <= 5; e++) {
                scribble(primary, rnd, 30);
                t = source.takeEpoch(new byte[] {(byte) e});
            }
            assertThat(source.awaitAcked(t, T)).as("%s", source.shadowStatus()).isTrue();
            assertThat(sink.newestConsistentEpoch()).isEqualTo(5);
            assertThat(sink.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(bytes(primary));
        }
    }
}
