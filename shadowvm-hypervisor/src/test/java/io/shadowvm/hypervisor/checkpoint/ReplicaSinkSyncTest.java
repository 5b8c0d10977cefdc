package io.shadowvm.hypervisor.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.sync.EpochTicket;
import io.shadowvm.sync.SyncSink;
import io.shadowvm.sync.SyncSource;
import io.shadowvm.sync.region.HeapRegion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReplicaSink#startSync}: over real loopback sockets, a QEMU replica's sync sink applies an epoch only when
 * its device state verifies, so the newest consistent epoch (what {@link Promoter} promotes from) always has a
 * device state that loads. The blobs are intact on the wire (every sync frame CRC32C is right); only the device
 * state's own header, epoch and CRC32C tell.
 */
class ReplicaSinkSyncTest {
    private static final byte[] STREAM = "QEVM\0\0\0\3device state bytes".getBytes(StandardCharsets.ISO_8859_1);
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldApplyOnlyEpochsWhoseDeviceStateVerifiesAndKeepThePromotableOne() {
        HeapRegion ram = new HeapRegion(32 * 4096L);
        try (SyncSink sink = ReplicaSink.startSync(new SyncSink.Context().listen(new InetSocketAddress("127.0.0.1", 0))
                .replica(dir.resolve("shadow.ram")).createSizeBytes(ram.sizeBytes()));
             SyncSource source = SyncSource.start(new SyncSource.Context().region(ram).reconnectDelayMs(20)
                 .shadows(List.of(sink.localAddress())))) {
            assertThat(source.awaitShadowsReady(T)).isTrue();
            ram.write(0, new byte[] {1, 2, 3}, 0, 3);
            EpochTicket first = source.takeEpoch(DeviceStateBlob.wrap(1, STREAM, STREAM.length));
            assertThat(source.awaitAcked(first, T)).as("%s", source.shadowStatus()).isTrue();
            byte[] page0 = new byte[4096];
            ram.read(0, page0, 0, 4096);

            // epoch 2: a device state with one payload byte flipped (its CRC32C no longer matches)
            ram.write(0, new byte[] {9, 9, 9}, 0, 3);
            byte[] corrupt = DeviceStateBlob.wrap(2, STREAM, STREAM.length);
            corrupt[DeviceStateBlob.HEADER_BYTES + 10] ^= 0x5A;
            EpochTicket second = source.takeEpoch(corrupt);
            await(() -> sink.rejectedEpochs() == 1, source, second);

            assertThat(sink.newestConsistentEpoch()).isEqualTo(1);
            byte[] kept = sink.newestEpoch().criticalBytes();
            assertThat(DeviceStateBlob.verify(kept, kept.length, sink.newestConsistentEpoch(), "kept")).isEqualTo(1);
            byte[] replicaPage0 = sink.withConsistentReplica(r -> {
                byte[] p = new byte[4096];
                r.read(0, p, 0, 4096);
                return p;
            });
            assertThat(replicaPage0).isEqualTo(page0);
            assertThat(sink.lastRejection().getMessage()).contains("rejected by the sink's validator")
                .contains("(the replica keeps epoch 1)").contains("epoch 2: device state CRC32C 0x").contains("(expected: 0x");
            assertThat(String.join(" ", source.shadowStatus())).contains("device state CRC32C");

            // the source resumes; an epoch whose device state verifies is applied again
            EpochTicket t = source.takeEpoch(DeviceStateBlob.wrap(3, STREAM, STREAM.length));
            long deadline = System.nanoTime() + T.toNanos();
            while (!source.awaitAcked(t, Duration.ofMillis(100)) && System.nanoTime() < deadline) {
                t = source.takeEpoch(DeviceStateBlob.wrap(t.epoch() + 1, STREAM, STREAM.length));
            }
            assertThat(t.acked()).as("%s", source.shadowStatus()).isDone();
            assertThat(sink.newestConsistentEpoch()).isEqualTo(t.epoch());
            byte[] now = sink.newestEpoch().criticalBytes();
            assertThat(DeviceStateBlob.verify(now, now.length, t.epoch(), "now")).isEqualTo(t.epoch());
            assertThat(sink.rejectedEpochs()).isEqualTo(1);
        }
    }

    @Test
    void shouldRejectADeviceStateThatBelongsToAnotherEpoch() {
        HeapRegion ram = new HeapRegion(8 * 4096L);
        try (SyncSink sink = ReplicaSink.startSync(new SyncSink.Context().replica(dir.resolve("r.ram"))
                .createSizeBytes(ram.sizeBytes()));
             SyncSource source = SyncSource.start(new SyncSource.Context().region(ram).reconnectDelayMs(20)
                 .shadows(List.of(sink.localAddress())))) {
            assertThat(source.awaitShadowsReady(T)).isTrue();
            EpochTicket t = source.takeEpoch(DeviceStateBlob.wrap(5, STREAM, STREAM.length)); // sync's epoch 1
            await(() -> sink.rejectedEpochs() == 1, source, t);
            assertThat(sink.newestConsistentEpoch()).isZero();
            assertThat(sink.lastRejection().getMessage()).endsWith("epoch 1: device state belongs to epoch 5 (expected: 1)");
        }
    }

    private static void await(BooleanSupplier done, SyncSource source, EpochTicket t) {
        long deadline = System.nanoTime() + T.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            source.awaitAcked(t, Duration.ofMillis(20));
        }
        assertThat(done.getAsBoolean()).as("%s", source.shadowStatus()).isTrue();
    }
}
