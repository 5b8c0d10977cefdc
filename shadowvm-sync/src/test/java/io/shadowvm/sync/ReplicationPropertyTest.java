package io.shadowvm.sync;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static io.shadowvm.sync.EndToEndTest.bytes;
import static io.shadowvm.sync.EndToEndTest.takeUntilAcked;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.sync.codec.Compression;
import io.shadowvm.sync.dirty.WriteTrackingRegion;
import io.shadowvm.sync.region.HeapRegion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Random write sequences and random disconnects, to one or two shadows: at every apply (i.e. before every ACK) the replica equals
 * the source's region at that epoch, byte for byte; at the end the replica equals the region.
 */
class ReplicationPropertyTest {
    @ParameterizedTest(name = "seed={0} epochs={1} disconnects={2}")
    @MethodSource("runs")
    void shouldHoldExactlyTheSourceStateAtEveryAckedEpoch(long seed, int epochs, int disconnects) throws Exception {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("shadowvm-sync-prop");
        boolean tracked = rnd.nextBoolean();
        HeapRegion heap = new HeapRegion(48 * 4096, 14);
        WriteTrackingRegion region = new WriteTrackingRegion(heap);
        Map<Long, byte[]> atEpoch = new ConcurrentHashMap<>();
        List<String> mismatches = new CopyOnWriteArrayList<>();
        Path replica = dir.resolve("replica.ram");
        Path replica2 = dir.resolve("replica2.ram");
        boolean twoShadows = rnd.nextBoolean();
        try (SyncSink sink = SyncSink.start(new SyncSink.Context().replica(replica).createSizeBytes(heap.sizeBytes())
                .onApplied(e -> SyncFaultTest.check(replica, e, atEpoch, mismatches)));
             SyncSink sink2 = SyncSink.start(new SyncSink.Context().replica(replica2).createSizeBytes(heap.sizeBytes())
                .onApplied(e -> SyncFaultTest.check(replica2, e, atEpoch, mismatches)));
             SyncSource source = SyncSource.start(new SyncSource.Context().region(region)
                 .tracker(tracked ? region : null).reconnectDelayMs(10).verify(true).batchPages(1 + rnd.nextInt(16))
                 .cacheBytes(4096L * (1 + rnd.nextInt(64))).compression(Compression.values()[rnd.nextInt(3)])
                 .shadows(twoShadows ? List.of(sink.localAddress(), sink2.localAddress()) : List.of(sink.localAddress())))) {
            EpochTicket t = null;
            int dropsLeft = disconnects;
            for (int e = 0; e < epochs; e++) {
                writeRandomly(region, rnd);
                atEpoch.put((long) e + 1, bytes(region)); // recorded before the epoch can be applied
                t = source.takeEpoch(new byte[] {(byte) e});
                assertThat(t.epoch()).isEqualTo(e + 1);
                if (dropsLeft > 0 && rnd.nextInt(3) == 0) {
                    source.dropConnections();
                    dropsLeft--;
                }
            }
            byte[] last = bytes(region);
            for (long e = epochs + 1; e < epochs + 1000; e++) {
                atEpoch.put(e, last); // no more writes: every later epoch has the same contents
            }
            t = takeUntilAcked(source, t, new byte[0]);
            assertThat(mismatches).isEmpty();
            assertThat(sink.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(bytes(region));
            if (twoShadows) {
                assertThat(sink2.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(bytes(region));
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void writeRandomly(WriteTrackingRegion r, Random rnd) {
        int writes = rnd.nextInt(40);
        for (int i = 0; i < writes; i++) {
            int kind = rnd.nextInt(4);
            long page = rnd.nextInt((int) r.pageCount());
            if (kind == 0) {
                r.writePage(page, new byte[4096], 0); // zero page
            } else if (kind == 1) {
                byte[] p = new byte[4096];
                rnd.nextBytes(p);
                r.writePage(page, p, 0); // incompressible
            } else {
                byte[] b = new byte[1 + rnd.nextInt(200)];
                rnd.nextBytes(b);
                long off = Math.min(r.sizeBytes() - b.length, page * 4096 + rnd.nextInt(4096));
                r.write(off, b, 0, b.length); // small change (delta), may span two pages
            }
        }
    }

    static Stream<Arguments> runs() {
        return SeededCases.of(0x5eed_0003L, 25, new int[] {2, 12}, new int[] {0, 3});
    }
}
