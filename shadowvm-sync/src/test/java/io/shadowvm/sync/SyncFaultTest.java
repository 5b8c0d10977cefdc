package io.shadowvm.sync;

import static io.shadowvm.sync.EndToEndTest.bytes;
import static io.shadowvm.sync.EndToEndTest.scribble;
import static io.shadowvm.sync.EndToEndTest.takeUntilAcked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.shadowvm.sync.region.HeapRegion;
import io.shadowvm.sync.region.MappedFileRegion;
import io.shadowvm.sync.wire.FrameHeader;
import io.shadowvm.sync.wire.FrameType;
import io.shadowvm.sync.wire.Hello;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncFaultTest {
    @TempDir
    Path dir;

    @Test
    void shouldNeverApplyAnEpochWithAFlippedByteAndResumeAfterTheReset() throws Exception {
        HeapRegion primary = new HeapRegion(64 * 4096);
        Random rnd = new Random(5);
        Map<Long, byte[]> atEpoch = new ConcurrentHashMap<>();
        List<String> mismatches = new CopyOnWriteArrayList<>();
        Path replica = dir.resolve("replica.ram");
        try (SyncSink sink = SyncSink.start(new SyncSink.Context().replica(replica).createSizeBytes(primary.sizeBytes())
                .onApplied(e -> check(replica, e, atEpoch, mismatches)));
             FlippingProxy proxy = new FlippingProxy(sink.localAddress(), 20_000, 2);
             SyncSource source = SyncSource.start(new SyncSource.Context().region(primary).reconnectDelayMs(20)
                 .shadows(List.of(proxy.address())))) {
            EpochTicket t = null;
            long next = 1;
            for (int i = 0; i < 3; i++) {
                scribble(primary, rnd, 300);
                atEpoch.put(next++, bytes(primary));
                t = source.takeEpoch(new byte[100]);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(t.acked().isDone() && proxy.flips.get() >= 2) && System.nanoTime() < deadline) {
                scribble(primary, rnd, 50);
                atEpoch.put(next++, bytes(primary));
                t = source.takeEpoch(new byte[100]);
                source.awaitAcked(t, Duration.ofMillis(100));
            }
            byte[] last = bytes(primary);
            for (long e = next; e < next + 1000; e++) {
                atEpoch.put(e, last);
            }
            t = takeUntilAcked(source, t, new byte[100]);
            assertThat(proxy.flips.get()).as("bits flipped in flight").isEqualTo(2);
            assertThat(proxy.connections.get()).as("connections (reset + resumed)").isGreaterThanOrEqualTo(3);
            assertThat(sink.errors()).anySatisfy(e -> assertThat(e.getMessage()).containsAnyOf("CRC32C", "frame"));
            assertThat(mismatches).isEmpty();
            assertThat(sink.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(bytes(primary));
        }
    }

    static void check(Path replica, AppliedEpoch e, Map<Long, byte[]> atEpoch, List<String> mismatches) {
        byte[] expected = atEpoch.get(e.epoch());
        try (MappedFileRegion r = MappedFileRegion.openReadOnly(replica)) {
            if (expected == null || !java.util.Arrays.equals(expected, bytes(r))) {
                mismatches.add("epoch " + e.epoch() + (expected == null ? " unknown" : " differs"));
            }
        }
    }

    @Test
    void shouldRefuseASinkWhoseRegionSizeDiffers() {
        HeapRegion primary = new HeapRegion(64 * 4096);
        try (SyncSink sink = SyncSink.start(new SyncSink.Context().replica(dir.resolve("small.ram")).createSizeBytes(32 * 4096));
             SyncSource source = SyncSource.start(new SyncSource.Context().region(primary).shadows(List.of(sink.localAddress())))) {
            EpochTicket t = source.takeEpoch(null);
            assertThatThrownBy(() -> source.awaitAcked(t, Duration.ofSeconds(20)))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("region size mismatch: source region is 262144 bytes")
                .hasMessageContaining("is 131072 bytes");
            assertThat(source.shadowStatus()).singleElement().asString().contains("FAILED");
        }
    }

    @Test
    void shouldGiveAClearErrorToAPeerSpeakingAnotherFormatVersion() throws Exception {
        try (SyncSink sink = SyncSink.start(new SyncSink.Context().replica(dir.resolve("r.ram")).createSizeBytes(4096));
             Socket s = new Socket(sink.localAddress().getAddress(), sink.localAddress().getPort())) {
            ByteBuf hello = new Hello(1, 4096, 4096, 0).encode(ByteBufAllocator.DEFAULT);
            hello.setByte(4, 2); // format version 2
            byte[] out = new byte[hello.readableBytes()];
            hello.readBytes(out);
            hello.release();
            s.getOutputStream().write(out);
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] header = new byte[16];
            in.readFully(header);
            ByteBuf h = Unpooled.wrappedBuffer(header);
            assertThat(h.getByte(5)).isEqualTo((byte) FrameType.ERROR.id());
            byte[] payload = new byte[h.getInt(8)];
            in.readFully(payload);
            assertThat(new String(payload, 4, payload.length - 4, StandardCharsets.UTF_8))
                .isEqualTo("unsupported sync format version: 2 (expected: 1)");
            assertThat(in.read()).as("sink closes after the error").isEqualTo(-1);
        }
    }

    @Test
    void shouldReportTheVersionOfASinkSpeakingAnotherFormat() throws Exception {
        HeapRegion primary = new HeapRegion(4 * 4096);
        try (ServerSocket fake = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket c = fake.accept(); OutputStream o = c.getOutputStream(); InputStream i = c.getInputStream()) {
                    ByteBuf f = FrameHeader.start(ByteBufAllocator.DEFAULT, FrameType.RESUME, 0, 32);
                    f.writeZero(32);
                    FrameHeader.seal(f);
                    f.setByte(4, 3);
                    byte[] b = new byte[f.readableBytes()];
                    f.readBytes(b);
                    f.release();
                    o.write(b);
                    i.read(new byte[1024]);
                } catch (Exception e) {
                    // the test asserts on the source side
                }
            });
            t.setDaemon(true);
            t.start();
            try (SyncSource source = SyncSource.start(new SyncSource.Context().region(primary)
                    .shadows(List.of(new java.net.InetSocketAddress("127.0.0.1", fake.getLocalPort()))))) {
                EpochTicket e = source.takeEpoch(null);
                assertThatThrownBy(() -> source.awaitAcked(e, Duration.ofSeconds(20)))
                    .hasMessageContaining("unsupported sync format version: 3 (expected: 1)");
            }
        }
    }

    @Test
    void shouldRefuseAFrameAnnouncing2GiBAndKeepServing() throws Exception {
        HeapRegion primary = new HeapRegion(16 * 4096);
        try (SyncSink sink = SyncSink.start(new SyncSink.Context().replica(dir.resolve("r.ram")).createSizeBytes(primary.sizeBytes()))) {
            try (Socket s = new Socket(sink.localAddress().getAddress(), sink.localAddress().getPort())) {
                ByteBuf h = Unpooled.buffer(16).writeInt(FrameHeader.MAGIC).writeByte(1).writeByte(FrameType.PAGE_BATCH.id())
                    .writeShort(0).writeInt(0x8000_0000).writeInt(0);
                s.getOutputStream().write(h.array(), 0, 16);
                InputStream in = s.getInputStream();
                byte[] reply = in.readAllBytes(); // an ERROR frame, then the sink closes
                assertThat(reply.length).isGreaterThan(20);
                assertThat(new String(reply, 20, reply.length - 20, StandardCharsets.UTF_8))
                    .isEqualTo("invalid PAGE_BATCH frame length: 2147483648 (expected: 0-4194304)");
            }
            // the sink still serves the next source
            try (SyncSource source = SyncSource.start(new SyncSource.Context().region(primary).shadows(List.of(sink.localAddress())))) {
                scribble(primary, new Random(1), 20);
                takeUntilAcked(source, source.takeEpoch(null), null);
                assertThat(sink.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(bytes(primary));
            }
        }
    }

    @Test
    void shouldServeOneSourceAtATimeAndTellTheSecondOneWhy() throws Exception {
        HeapRegion a = new HeapRegion(8 * 4096);
        HeapRegion b = new HeapRegion(8 * 4096);
        try (SyncSink sink = SyncSink.start(new SyncSink.Context().replica(dir.resolve("r.ram")).createSizeBytes(a.sizeBytes()));
             SyncSource first = SyncSource.start(new SyncSource.Context().region(a).shadows(List.of(sink.localAddress())))) {
            assertThat(first.awaitShadowsReady(Duration.ofSeconds(20))).isTrue();
            try (SyncSource second = SyncSource.start(new SyncSource.Context().region(b).reconnectDelayMs(50)
                    .shadows(List.of(sink.localAddress())))) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!String.join(" ", second.shadowStatus()).contains("serving another source") && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(second.shadowStatus()).singleElement().asString().contains("sink is serving another source");
            }
            scribble(a, new Random(2), 10);
            takeUntilAcked(first, first.takeEpoch(null), null);
            assertThat(sink.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(bytes(a));
        }
    }

    @Test
    void shouldRefuseInvalidSourceSettingsNamingTheValueAndTheBound() {
        HeapRegion r = new HeapRegion(4096);
        java.net.InetSocketAddress any = new java.net.InetSocketAddress("127.0.0.1", 9);
        assertThatThrownBy(() -> SyncSource.start(new SyncSource.Context().region(r)))
            .isInstanceOf(SyncException.class).hasMessageContaining("no shadows");
        assertThatThrownBy(() -> SyncSource.start(new SyncSource.Context().region(r).shadows(List.of(any)).batchPages(1000)))
            .isInstanceOf(SyncException.class).hasMessage("invalid batchPages: 1000 (expected: 1-256, what sinks accept)");
        assertThatThrownBy(() -> SyncSource.start(new SyncSource.Context().region(r).shadows(List.of(any)).deltaLimit(5000)))
            .isInstanceOf(SyncException.class).hasMessage("invalid deltaLimit: 5000 bytes (expected: 16-4096)");
        assertThatThrownBy(() -> SyncSource.start(new SyncSource.Context().region(r).shadows(List.of(any)).bandwidthBytesPerSec(-1)))
            .isInstanceOf(SyncException.class).hasMessage("invalid bandwidth: -1 B/s (expected: >= 0)");
    }
}
