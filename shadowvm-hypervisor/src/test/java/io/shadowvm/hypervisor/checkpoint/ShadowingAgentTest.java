package io.shadowvm.hypervisor.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.core.time.ManualClock;
import io.shadowvm.sync.EpochLoop;
import io.shadowvm.sync.EpochTicket;
import io.shadowvm.sync.SyncSink;
import io.shadowvm.sync.SyncSource;
import io.shadowvm.sync.region.HeapRegion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shadowing agent against a real sync source and sink on loopback; time is a manual clock. */
class ShadowingAgentTest {
    private static final byte[] STREAM = "QEVM\0\0\0\3dev".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path dir;
    private SyncSink sink;
    private SyncSource source;
    private final ManualClock clock = new ManualClock();

    /** A guest stand-in: "pausing" it is handing sync the epoch with a device-state blob. */
    private static final class FakeGuest implements ShadowingAgent.Checkpointable {
        final boolean held;
        int releases;

        FakeGuest(boolean held) {
            this.held = held;
        }

        @Override
        public QemuCheckpointer.SyncEpoch takePaused(long epoch, SyncSource s) {
            EpochTicket t = s.takeEpoch(DeviceStateBlob.wrap(epoch, STREAM, STREAM.length));
            assertThat(t.epoch()).isEqualTo(epoch);
            return new QemuCheckpointer.SyncEpoch(new EpochResult(epoch, 0, 0, 0, 0, 0, 250, 0, (int) t.dirtyPages(), 0, 0), t);
        }

        @Override
        public boolean holdsOutput() {
            return held;
        }

        @Override
        public void releaseOutput() {
            releases++;
        }
    }

    @BeforeEach
    void start() {
        sink = SyncSink.start(new SyncSink.Context().listen(new InetSocketAddress("127.0.0.1", 0))
                .replica(dir.resolve("replica.ram")).createSizeBytes(64 * 4096L).durable(false));
        source = SyncSource.start(new SyncSource.Context().region(new HeapRegion(64 * 4096L)).shadows(List.of(sink.localAddress())));
        assertThat(source.awaitShadowsReady(Duration.ofSeconds(20))).isTrue();
    }

    @AfterEach
    void stop() {
        source.close();
        sink.close();
    }

    private static void awaitCondition(java.util.function.BooleanSupplier c, Runnable step) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
            step.run();
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldTakeAnEpochOnlyWhenDueAndRecordItsAck() {
        FakeGuest g = new FakeGuest(false);
        ShadowingAgent agent = new ShadowingAgent(g, new EpochLoop(source, 100, clock));
        assertThat(agent.doWork()).isZero();
        assertThat(agent.epochsTaken()).isZero();
        clock.advanceMillis(100);
        agent.doWork();
        assertThat(agent.epochsTaken()).isEqualTo(1);
        awaitCondition(() -> agent.lastAckedEpoch() == 1, agent::doWork);
        assertThat(agent.pauseUs().getMaxValue()).isEqualTo(250);
        assertThat(sink.newestConsistentEpoch()).isEqualTo(1);
        assertThat(g.releases).isZero();
    }

    @Test
    void shouldReleaseHeldOutputOncePerAckedEpochAndNeverRunTwoEpochsAhead() {
        FakeGuest g = new FakeGuest(true);
        ShadowingAgent agent = new ShadowingAgent(g, new EpochLoop(source, 100, clock));
        awaitCondition(() -> agent.lastAckedEpoch() >= 3, () -> {
            clock.advanceMillis(100);
            agent.doWork();
            assertThat(agent.epochsTaken()).isLessThanOrEqualTo(agent.lastAckedEpoch() + 1);
            assertThat(g.releases).isEqualTo(agent.lastAckedEpoch());
        });
        byte[] blob = sink.newestEpoch().criticalBytes();
        assertThat(DeviceStateBlob.verify(blob, blob.length, sink.newestEpoch().epoch(), "sink")).isEqualTo(sink.newestEpoch().epoch());
    }
}
