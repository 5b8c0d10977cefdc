package io.shadowvm.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.shadowvm.core.time.ManualClock;
import io.shadowvm.sync.codec.BatchDecoder;
import io.shadowvm.sync.codec.PageHashing;
import io.shadowvm.sync.region.HeapRegion;
import io.shadowvm.sync.wire.FrameType;
import io.shadowvm.sync.wire.PageHashes;
import io.shadowvm.sync.wire.Resume;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PrioritiesAndPacingTest {
    /** What a minimal hand-written sink saw: frame types in order, and page indices in order. */
    record Seen(List<FrameType> frames, List<Long> pages) { }

    /** Accepts one source, says it holds nothing (all-zero hashes), records one epoch's frames. */
    static CompletableFuture<Seen> recordingSink(ServerSocket server, long pageCount) {
        return recordingSink(server, pageCount, null);
    }

    /** As above; with {@code hold}, keeps the connection open without reading until the latch opens. */
    static CompletableFuture<Seen> recordingSink(ServerSocket server, long pageCount, java.util.concurrent.CountDownLatch hold) {
        CompletableFuture<Seen> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (Socket c = server.accept(); DataInputStream in = new DataInputStream(c.getInputStream());
                 OutputStream out = c.getOutputStream()) {
                readFrame(in); // HELLO
                write(out, new Resume(0, 0, pageCount * 4096, pageCount).encode(ByteBufAllocator.DEFAULT));
                long[] zero = new long[(int) pageCount];
                Arrays.fill(zero, PageHashing.ZERO_PAGE_HASH);
                write(out, PageHashes.encode(ByteBufAllocator.DEFAULT, 0, zero, 0, zero.length));
                List<FrameType> frames = new ArrayList<>();
                List<Long> pages = new ArrayList<>();
                try (BatchDecoder dec = new BatchDecoder(256, pageCount)) {
                    while (true) {
                        byte[][] f = readFrame(in);
                        FrameType type = FrameType.byId(f[0][5]);
                        frames.add(type);
                        if (type == FrameType.PAGE_BATCH) {
                            dec.decode(f[1], 0, f[1].length, (p, d, o) -> { }, (p, d, o) -> pages.add(p));
                        }
                        if (type == FrameType.EPOCH_END) {
                            break;
                        }
                    }
                }
                result.complete(new Seen(frames, pages));
                if (hold != null) {
                    hold.await();
                }
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return result;
    }

    static byte[][] readFrame(DataInputStream in) throws java.io.IOException {
        byte[] h = new byte[16];
        in.readFully(h);
        byte[] p = new byte[Unpooled.wrappedBuffer(h).getInt(8)];
        in.readFully(p);
        return new byte[][] {h, p};
    }

    static void write(OutputStream out, ByteBuf frame) throws java.io.IOException {
        byte[] b = new byte[frame.readableBytes()];
        frame.readBytes(b);
        frame.release();
        out.write(b);
        out.flush();
    }

    @Test
    void shouldSendTheCriticalBlobFirstThenPagesOfCriticalRangesThenTheRest() throws Exception {
        HeapRegion primary = new HeapRegion(64 * 4096);
        for (long p = 0; p < 64; p += 3) {
            primary.write(p * 4096, new byte[] {1}, 0, 1);
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Seen> seen = recordingSink(server, 64);
            try (SyncSource source = SyncSource.start(new SyncSource.Context().region(primary).batchPages(4)
                    .criticalPages(40, 10).criticalPages(3, 1)
                    .shadows(List.of(new InetSocketAddress("127.0.0.1", server.getLocalPort()))))) {
                assertThat(source.awaitShadowsReady(Duration.ofSeconds(20))).isTrue();
                source.takeEpoch(new byte[3 * 1024 * 1024]); // three CRITICAL chunks
                Seen s = seen.get();
                assertThat(s.frames().subList(0, 4)).containsExactly(FrameType.EPOCH_BEGIN, FrameType.CRITICAL,
                    FrameType.CRITICAL, FrameType.CRITICAL);
                assertThat(s.frames().get(4)).isEqualTo(FrameType.PAGE_BATCH);
                assertThat(s.pages().subList(0, 5)).containsExactly(3L, 42L, 45L, 48L, 0L);
                assertThat(s.pages()).hasSize(22);
            }
        }
    }

    @Test
    void shouldLengthenEpochsAndCountThemWhenThePreviousOneIsStillBeingSent() {
        ManualClock clock = new ManualClock();
        HeapRegion primary = new HeapRegion(4 * 4096);
        try (SyncSource source = SyncSource.start(new SyncSource.Context().region(primary)
                .shadows(List.of(new InetSocketAddress("127.0.0.1", 9))))) {
            EpochLoop loop = new EpochLoop(source, 100, clock);
            CompletableFuture<Void> shipped = new CompletableFuture<>();
            List<Long> taken = new ArrayList<>();
            EpochLoop.Pausable fake = s -> {
                taken.add(clock.nanoTime());
                return new EpochTicket(taken.size(), 0, 0, taken.size() == 1 ? shipped : CompletableFuture.completedFuture(null),
                    new CompletableFuture<>());
            };
            assertThat(loop.poll(fake)).isNull(); // not due yet
            clock.advanceMillis(100);
            assertThat(loop.poll(fake)).isNotNull();
            clock.advanceMillis(100);
            assertThat(loop.poll(fake)).as("previous epoch still sending").isNull();
            clock.advanceMillis(150);
            assertThat(loop.poll(fake)).isNull();
            shipped.complete(null);
            assertThat(loop.poll(fake)).as("taken as soon as the previous one is sent").isNotNull();
            assertThat(taken).hasSize(2);
            assertThat(taken.get(1) - taken.get(0)).isEqualTo(250_000_000L);
            assertThat(source.stats().lengthenedEpochs()).isEqualTo(1);
            assertThat(source.meterRegistry().get("shadowvm.sync.epochs.lengthened").counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void shouldPublishMetricsForEpochsBytesPausesAndShadowLag() throws Exception {
        HeapRegion primary = new HeapRegion(32 * 4096);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("shadowvm-metrics");
        try (SyncSink sink = SyncSink.start(new SyncSink.Context().replica(dir.resolve("r.ram")).createSizeBytes(primary.sizeBytes()));
             SyncSource source = SyncSource.start(new SyncSource.Context().region(primary).shadows(List.of(sink.localAddress())))) {
            assertThat(source.awaitShadowsReady(Duration.ofSeconds(20))).isTrue();
            EndToEndTest.scribble(primary, new java.util.Random(1), 10);
            EpochTicket t = EndToEndTest.takeUntilAcked(source, source.takeEpoch(null), null);
            var reg = source.meterRegistry();
            assertThat(reg.get("shadowvm.sync.epochs").counter().count()).isEqualTo(t.epoch());
            assertThat(reg.get("shadowvm.sync.dirty.bytes").counter().count()).isPositive();
            assertThat(reg.get("shadowvm.sync.wire.bytes").counter().count()).isPositive();
            assertThat(reg.get("shadowvm.sync.pause").timer().count()).isEqualTo(t.epoch());
            assertThat(reg.get("shadowvm.sync.scan").timer().count()).isEqualTo(t.epoch());
            assertThat(reg.get("shadowvm.sync.shadow.lag.epochs").gauge().value()).isEqualTo(0.0);
            assertThat(reg.get("shadowvm.sync.shadow.lag.ms").gauge()).isNotNull();
            assertThat(reg.get("shadowvm.sync.cache.hit.ratio").gauge()).isNotNull();
        }
    }

    @Test
    void shouldDisconnectALiveShadowThatStopsReadingSoItDoesNotHoldTheOthersBack() throws Exception {
        HeapRegion primary = new HeapRegion(2048 * 4096);
        java.util.Random rnd = new java.util.Random(4);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("shadowvm-stall");
        try (ServerSocket stuck = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             SyncSink good = SyncSink.start(new SyncSink.Context().replica(dir.resolve("r.ram")).createSizeBytes(primary.sizeBytes()))) {
            java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Seen> firstEpoch = recordingSink(stuck, 2048, hold); // reads one epoch, then never again
            try (SyncSource source = SyncSource.start(new SyncSource.Context().region(primary).stallTimeoutMs(300)
                    .compression(io.shadowvm.sync.codec.Compression.NONE)
                    .shadows(List.of(good.localAddress(), new InetSocketAddress("127.0.0.1", stuck.getLocalPort()))))) {
                assertThat(source.awaitShadowsReady(Duration.ofSeconds(20))).isTrue();
                source.takeEpoch(null);
                firstEpoch.get();
                byte[] page = new byte[4096];
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (!String.join(" ", source.shadowStatus()).contains("too slow") && System.nanoTime() < deadline) {
                    for (long p = 0; p < primary.pageCount(); p++) {
                        rnd.nextBytes(page);
                        primary.writePage(p, page, 0); // 8 MiB of new random pages per epoch
                    }
                    EpochTicket t = source.takeEpoch(null);
                    t.shipped().get(20, java.util.concurrent.TimeUnit.SECONDS);
                }
                assertThat(String.join(" / ", source.shadowStatus())).contains("too slow");
                EpochTicket last = source.takeEpoch(null);
                last.shipped().get(20, java.util.concurrent.TimeUnit.SECONDS);
                deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
                while (good.newestConsistentEpoch() < last.epoch() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(good.newestConsistentEpoch()).isEqualTo(last.epoch());
                assertThat(good.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(EndToEndTest.bytes(primary));
            } finally {
                hold.countDown();
            }
        }
    }

    @Test
    void shouldWaitForTheEpochBeforeTheLastToBeAckedButNotForever() {
        ManualClock clock = new ManualClock();
        HeapRegion primary = new HeapRegion(4 * 4096);
        try (SyncSource source = SyncSource.start(new SyncSource.Context().region(primary)
                .shadows(List.of(new InetSocketAddress("127.0.0.1", 9))))) {
            EpochLoop loop = new EpochLoop(source, 100, clock);
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            EpochLoop.Pausable fake = s -> {
                CompletableFuture<Void> ack = new CompletableFuture<>();
                acks.add(ack);
                return new EpochTicket(acks.size(), 0, 0, CompletableFuture.completedFuture(null), ack);
            };
            clock.advanceMillis(100);
            assertThat(loop.poll(fake)).isNotNull(); // epoch 1
            clock.advanceMillis(100);
            assertThat(loop.poll(fake)).isNotNull(); // epoch 2: epoch 1 need not be acked yet
            clock.advanceMillis(100);
            assertThat(loop.poll(fake)).as("epoch 1 not acked: at most two in flight").isNull();
            acks.get(0).complete(null);
            assertThat(loop.poll(fake)).isNotNull(); // epoch 3
            clock.advanceMillis(100);
            assertThat(loop.poll(fake)).as("epoch 2 not acked").isNull();
            clock.advanceMillis(1000);
            assertThat(loop.poll(fake)).as("a shadow that is down does not stop the epochs").isNotNull();
            assertThat(acks).hasSize(4);
        }
    }
}
