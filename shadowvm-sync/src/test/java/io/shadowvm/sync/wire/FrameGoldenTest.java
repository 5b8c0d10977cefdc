package io.shadowvm.sync.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shadowvm.sync.codec.BatchEncoder;
import io.shadowvm.sync.codec.Compression;
import io.shadowvm.sync.codec.PageCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Version 1 frames, byte for byte, kept under {@code src/test/resources/golden/v1/} as hex: a change that
 * alters the format fails here. Regenerate (only for a new format version!) with
 * {@code -Dgolden.update=true}.
 */
class FrameGoldenTest {
    private static Map<String, ByteBuf> frames() {
        ByteBufAllocator a = ByteBufAllocator.DEFAULT;
        Map<String, ByteBuf> m = new LinkedHashMap<>();
        m.put("hello", new Hello(0x1122334455667788L, 1L << 30, 4096, Hello.FEATURE_VERIFY).encode(a));
        m.put("resume", new Resume(0x1122334455667788L, 41, 1L << 30, 0).encode(a));
        m.put("page-hashes", PageHashes.encode(a, 8, new long[] {0xAL, 0xBL, 0xCL}, 0, 3));
        m.put("epoch-begin", new EpochBegin(42, 41, 3, 5, 1_700_000_000_000L).encode(a, 0));
        m.put("epoch-begin-catch-up", new EpochBegin(42, 7, 3, 5, 1_700_000_000_000L).encode(a, EpochBegin.FLAG_CATCH_UP));
        m.put("critical", Critical.encode(a, 0, "devst".getBytes(StandardCharsets.US_ASCII), 0, 5));
        m.put("page-batch", pageBatch(a));
        m.put("epoch-end", new EpochEnd(42, 3, 1, 0x0123456789ABCDEFL).encode(a, EpochEnd.FLAG_DIGEST));
        m.put("ack", new Ack(42, 1_700_000_000_123L).encode(a));
        m.put("error", new ErrorMessage(ErrorCode.REGION_SIZE_MISMATCH, "region size mismatch").encode(a));
        // code 7 was added within format version 1 (the ERROR layout is unchanged; older peers read it as UNKNOWN)
        m.put("error-epoch-rejected", new ErrorMessage(ErrorCode.EPOCH_REJECTED, "epoch 42 rejected").encode(a));
        return m;
    }

    /** A batch with one ZERO, one RAW (first seen) and one DELTA page, uncompressed so it stays readable. */
    private static ByteBuf pageBatch(ByteBufAllocator a) {
        PageCache cache = new PageCache(16 * 4096);
        byte[] page = new byte[4096];
        for (int i = 0; i < page.length; i++) {
            page[i] = (byte) (i % 7 == 0 ? 0 : i);
        }
        try (BatchEncoder warm = new BatchEncoder(4, 2048, Compression.NONE);
             BatchEncoder enc = new BatchEncoder(4, 2048, Compression.NONE)) {
            warm.add(2, page, 0, cache);
            page[100] = 7;
            enc.add(1, new byte[4096], 0, null);
            enc.add(2, page, 0, cache);
            enc.add(3, page, 0, null);
            int n = enc.finish();
            ByteBuf f = FrameHeader.start(a, FrameType.PAGE_BATCH, 0, n);
            f.writeBytes(enc.output(), 0, n);
            return FrameHeader.seal(f);
        }
    }

    @Test
    void shouldEncodeEveryFrameExactlyAsTheVersion1GoldenFiles() throws IOException {
        boolean update = Boolean.getBoolean("golden.update");
        for (Map.Entry<String, ByteBuf> e : frames().entrySet()) {
            String hex = ByteBufUtil.prettyHexDump(e.getValue()) + "\n";
            String name = "golden/v1/" + e.getKey() + ".hex";
            if (update) {
                Path p = Path.of("src/test/resources", name);
                Files.createDirectories(p.getParent());
                Files.writeString(p, hex);
            } else {
                try (InputStream in = getClass().getClassLoader().getResourceAsStream(name)) {
                    assertThat(in).as("golden file %s (generate with -Dgolden.update=true)", name).isNotNull();
                    assertThat(hex).as(name).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            e.getValue().release();
        }
    }

    @Test
    void shouldDecodeEveryGoldenFrameBackWithItsCrcIntact() {
        for (Map.Entry<String, ByteBuf> e : frames().entrySet()) {
            EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4 << 20));
            ch.writeInbound(e.getValue());
            Frame f = ch.readInbound();
            assertThat(f).as(e.getKey()).isNotNull();
            if (f.type() == FrameType.EPOCH_END) {
                assertThat(EpochEnd.decode(f.payload())).isEqualTo(new EpochEnd(42, 3, 1, 0x0123456789ABCDEFL));
            } else if (f.type() == FrameType.ERROR) {
                assertThat(ErrorMessage.decode(f.payload()).code()).isEqualTo(e.getKey().equals("error")
                    ? ErrorCode.REGION_SIZE_MISMATCH : ErrorCode.EPOCH_REJECTED);
            }
            f.release();
            ch.finishAndReleaseAll();
        }
    }
}
