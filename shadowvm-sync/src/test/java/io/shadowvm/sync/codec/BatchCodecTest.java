package io.shadowvm.sync.codec;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BatchCodecTest {
    private static final int P = PageDelta.PAGE_SIZE;

    /** A shadow's pages (what the decoder patches against), and the source's view. */
    private static final class Pages {
        final byte[][] pages;

        Pages(int n) {
            pages = new byte[n][P];
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void shouldRoundTripZeroRawAndDeltaPagesWithEveryCompression(Compression c) {
        roundTrip(c, 42L, 64, 5, 3);
    }

    @ParameterizedTest(name = "seed={0} changes={1} rounds={2}")
    @MethodSource("batches")
    void shouldKeepTheShadowEqualToTheSourceOverManyBatches(long seed, int changes, int rounds) {
        roundTrip(Compression.values()[(int) Math.floorMod(seed, 3L)], seed, 32, changes, rounds);
    }

    private static void roundTrip(Compression c, long seed, int pageCount, int changes, int rounds) {
        Random rnd = new Random(seed);
        Pages source = new Pages(pageCount);
        Pages shadow = new Pages(pageCount);
        PageCache cache = new PageCache(8L * P); // smaller than the region: evictions happen
        try (BatchEncoder enc = new BatchEncoder(7, 2048, c); BatchDecoder dec = new BatchDecoder(7, pageCount)) {
            for (int round = 0; round < rounds; round++) {
                Map<Integer, Boolean> dirty = new HashMap<>();
                for (int i = 0; i < changes; i++) {
                    int p = rnd.nextInt(pageCount);
                    int mode = rnd.nextInt(4);
                    if (mode == 0) {
                        source.pages[p] = new byte[P];
                    } else if (mode == 1) {
                        rnd.nextBytes(source.pages[p]);
                    } else {
                        int at = rnd.nextInt(P - 16);
                        for (int j = 0; j < 1 + rnd.nextInt(16); j++) {
                            source.pages[p][at + j] = (byte) rnd.nextInt();
                        }
                    }
                    dirty.put(p, true);
                }
                for (int p : dirty.keySet()) {
                    enc.add(p, source.pages[p], 0, cache);
                    if (enc.isFull()) {
                        ship(enc, dec, shadow);
                    }
                }
                if (!enc.isEmpty()) {
                    ship(enc, dec, shadow);
                }
                for (int p = 0; p < pageCount; p++) {
                    assertThat(shadow.pages[p]).as("page %d after round %d", p, round).isEqualTo(source.pages[p]);
                }
            }
        }
    }

    private static void ship(BatchEncoder enc, BatchDecoder dec, Pages shadow) {
        int n = enc.finish();
        byte[] wire = java.util.Arrays.copyOf(enc.output(), n);
        dec.decode(wire, 0, n, (p, dst, off) -> System.arraycopy(shadow.pages[(int) p], 0, dst, off, P),
            (p, data, off) -> System.arraycopy(data, off, shadow.pages[(int) p], 0, P));
    }

    @Test
    void shouldSkipAPageWhoseCachedCopyIsIdentical() {
        PageCache cache = new PageCache(4 * P);
        byte[] page = new byte[P];
        page[5] = 1;
        try (BatchEncoder enc = new BatchEncoder(4, 2048, Compression.LZ4)) {
            assertThat(enc.add(1, page, 0, cache)).isEqualTo(PageKind.RAW);
            assertThat(enc.add(1, page, 0, null)).isEqualTo(PageKind.RAW);
            enc.finish();
            assertThat(enc.add(1, page, 0, cache)).isNull();
            page[6] = 2;
            assertThat(enc.add(1, page, 0, cache)).isEqualTo(PageKind.DELTA);
        }
    }

    @Test
    void shouldSendIncompressibleBatchesUncompressedWithinOnePercentOfRaw() {
        Random rnd = new Random(9);
        byte[] page = new byte[P];
        try (BatchEncoder enc = new BatchEncoder(64, 2048, Compression.LZ4)) {
            for (int i = 0; i < 64; i++) {
                rnd.nextBytes(page);
                enc.add(i, page, 0, null);
            }
            int n = enc.finish();
            assertThat(enc.output()[0]).isEqualTo((byte) Compression.NONE.wireId());
            assertThat(n).isLessThanOrEqualTo((int) (64 * P * 1.01));
        }
    }

    @Test
    void shouldRefuseAPageIndexOutsideTheRegion() {
        byte[] page = new byte[P];
        page[0] = 1;
        try (BatchEncoder enc = new BatchEncoder(4, 2048, Compression.NONE); BatchDecoder dec = new BatchDecoder(4, 10)) {
            enc.add(10, page, 0, null);
            int n = enc.finish();
            assertThatThrownBy(() -> dec.decode(enc.output(), 0, n, (p, d, o) -> { }, (p, d, o) -> { }))
                .isInstanceOf(CorruptPageException.class).hasMessageContaining("page index 10 (expected: 0-9)");
        }
    }

    @Test
    void shouldRefuseADeclaredBodyLengthAboveTheBoundBeforeDecompressing() {
        byte[] batch = {1, 0, 0, 1, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        try (BatchDecoder dec = new BatchDecoder(4, 10)) {
            assertThatThrownBy(() -> dec.decode(batch, 0, batch.length, (p, d, o) -> { }, (p, d, o) -> { }))
                .isInstanceOf(CorruptPageException.class).hasMessageContaining("2147483647");
        }
    }

    static Stream<Arguments> batches() {
        return io.shadowvm.sync.SeededCases.of(0x5eed_0002L, 60, new int[] {1, 40}, new int[] {1, 6});
    }
}
