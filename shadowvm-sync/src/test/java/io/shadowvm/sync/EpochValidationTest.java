package io.shadowvm.sync;

import static io.shadowvm.sync.EndToEndTest.bytes;
import static io.shadowvm.sync.EndToEndTest.scribble;
import static io.shadowvm.sync.EndToEndTest.takeUntilAcked;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowvm.sync.region.HeapRegion;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink's {@link EpochValidator} on real loopback sockets: a critical blob whose frames are intact (every frame
 * CRC32C is right) but whose own inner CRC32C is wrong is rejected before the epoch is applied; the replica keeps the
 * previous epoch, nothing is acknowledged, both sides count it, the source learns why, and the stream resumes with
 * the next valid epoch.
 */
class EpochValidationTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** A stand-in for a hypervisor's device state: {@code crc32c:u32} of the payload, then the payload. */
    static byte[] blob(String payload) {
        byte[] p = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CRC32C c = new CRC32C();
        c.update(p);
        return ByteBuffer.allocate(4 + p.length).putInt((int) c.getValue()).put(p).array();
    }

    static String checkInnerCrc(long streamId, long epoch, ByteBuffer critical) {
        if (critical.remaining() < 4) {
            return "critical blob of " + critical.remaining() + " bytes (expected: at least 4)";
        }
        int want = critical.getInt(0);
        CRC32C c = new CRC32C();
        c.update(critical.duplicate().position(4));
        return (int) c.getValue() == want ? null : String.format("inner CRC32C 0x%08x (expected: 0x%08x)", (int) c.getValue(), want);
    }

    @Test
    void shouldRejectACriticalBlobWhoseInnerCrcIsWrongAndKeepThePreviousEpoch() {
        HeapRegion primary = new HeapRegion(64 * 4096);
        Random rnd = new Random(11);
        List<Long> applied = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry sinkMeters = new SimpleMeterRegistry();
        byte[] good = blob("device state v1");
        byte[] bad = good.clone();
        bad[6] ^= 0x20; // the frames carrying it are sealed afterwards, so only the inner CRC can tell
        try (SyncSink sink = SyncSink.start(new SyncSink.Context().replica(dir.resolve("replica.ram"))
                .createSizeBytes(primary.sizeBytes()).validator(EpochValidationTest::checkInnerCrc).meterRegistry(sinkMeters)
                .onApplied(e -> applied.add(e.epoch())));
             SyncSource source = SyncSource.start(new SyncSource.Context().region(primary).reconnectDelayMs(20)
                 .shadows(List.of(sink.localAddress())))) {
            scribble(primary, rnd, 200);
            EpochTicket first = takeUntilAcked(source, source.takeEpoch(good), good);
            byte[] atFirst = bytes(primary);
            assertThat(sink.newestConsistentEpoch()).isEqualTo(first.epoch());

            scribble(primary, rnd, 200);
            EpochTicket rejected = source.takeEpoch(bad);
            await(() -> sink.rejectedEpochs() == 1 && source.rejectedEpochs() == 1, source, rejected);

            assertThat(applied).doesNotContain(rejected.epoch());
            assertThat(sink.newestConsistentEpoch()).isEqualTo(first.epoch());
            assertThat(sink.newestEpoch().criticalBytes()).isEqualTo(good);
            assertThat(sink.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(atFirst);
            assertThat(sink.lastRejection().epoch()).isEqualTo(rejected.epoch());
            assertThat(sink.lastRejection().getMessage())
                .startsWith("epoch " + rejected.epoch() + " of stream " + Long.toHexString(source.streamId())
                    + " rejected by the sink's validator before it was applied (the replica keeps epoch " + first.epoch()
                    + "): inner CRC32C 0x");
            assertThat(sink.errors()).contains(sink.lastRejection());
            assertThat(sinkMeters.counter("shadowvm.sync.sink.epochs.rejected").count()).isEqualTo(1.0);
            assertThat(source.meterRegistry().counter("shadowvm.sync.epochs.rejected").count()).isEqualTo(1.0);
            assertThat(String.join("\n", source.shadowStatus())).contains("rejected by the sink's validator");

            // the source reconnects, catches the shadow up from the epoch it kept, and the next valid epoch applies
            scribble(primary, rnd, 200);
            EpochTicket after = takeUntilAcked(source, source.takeEpoch(good), good);
            assertThat(sink.newestConsistentEpoch()).isGreaterThanOrEqualTo(after.epoch());
            assertThat(sink.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(bytes(primary));
            assertThat(applied).doesNotContain(rejected.epoch());
            assertThat(sink.rejectedEpochs()).isEqualTo(1);
        }
    }

    @Test
    void shouldRejectTheEpochWhenTheValidatorItselfFailsAndNameTheFailure() {
        HeapRegion primary = new HeapRegion(16 * 4096);
        try (SyncSink sink = SyncSink.start(new SyncSink.Context().replica(dir.resolve("r.ram"))
                .createSizeBytes(primary.sizeBytes()).validator((s, e, c) -> {
                    throw new IllegalStateException("no device model for this blob");
                }));
             SyncSource source = SyncSource.start(new SyncSource.Context().region(primary).reconnectDelayMs(20)
                 .shadows(List.of(sink.localAddress())))) {
            EpochTicket t = source.takeEpoch(blob("x"));
            long deadline = System.nanoTime() + T.toNanos();
            while (sink.rejectedEpochs() == 0 && System.nanoTime() < deadline) {
                source.awaitAcked(t, Duration.ofMillis(50));
                t = source.takeEpoch(blob("x")); // a shadow joins at the next epoch taken after it connects
            }
            assertThat(sink.rejectedEpochs()).as("%s", source.shadowStatus()).isPositive();
            assertThat(sink.newestConsistentEpoch()).isZero();
            assertThat(sink.lastRejection().getMessage())
                .endsWith("validator failed: java.lang.IllegalStateException: no device model for this blob");
        }
    }

    /** Waits (bounded) for {@code done}, letting the source work on {@code t} (never acked: it was rejected). */
    private static void await(BooleanSupplier done, SyncSource source, EpochTicket t) {
        long deadline = System.nanoTime() + T.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            source.awaitAcked(t, Duration.ofMillis(20));
        }
        assertThat(done.getAsBoolean()).as("%s", source.shadowStatus()).isTrue();
    }
}
