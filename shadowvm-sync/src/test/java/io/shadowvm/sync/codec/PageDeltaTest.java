package io.shadowvm.sync.codec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PageDeltaTest {
    private static final int P = PageDelta.PAGE_SIZE;

    @Test
    void shouldEncodeEqualPagesAsAnEmptyDelta() {
        byte[] a = new byte[P];
        assertThat(PageDelta.encode(a, 0, a.clone(), 0, new byte[P], 0, P)).isZero();
    }

    @Test
    void shouldEncodeOneChangedByteInAFewBytes() {
        byte[] old = new byte[P];
        byte[] cur = old.clone();
        cur[1000] = 1;
        byte[] out = new byte[P];
        int n = PageDelta.encode(old, 0, cur, 0, out, 0, P);
        assertThat(n).isEqualTo(2 + 1 + 1); // zero run 1000 (2 bytes), data run 1, one byte
        byte[] patched = old.clone();
        PageDelta.decode(out, 0, n, patched, 0);
        assertThat(patched).isEqualTo(cur);
    }

    @Test
    void shouldAbortWhenTheDeltaPassesTheLimit() {
        byte[] old = new byte[P];
        byte[] cur = new byte[P];
        new Random(3).nextBytes(cur);
        assertThat(PageDelta.encode(old, 0, cur, 0, new byte[2048], 0, 2048)).isEqualTo(PageDelta.TOO_BIG);
    }

    @Test
    void shouldRefuseADeltaThatRunsPastThePage() {
        byte[] bad = {(byte) 0xFF, 0x1F, 0x10, 1, 2, 3}; // zero run 4095, data run 16
        assertThatThrownBy(() -> PageDelta.decode(bad, 0, bad.length, new byte[P], 0))
            .isInstanceOf(CorruptPageException.class).hasMessageContaining("4096");
    }

    @Test
    void shouldDetectZeroPages() {
        byte[] p = new byte[P + 8];
        assertThat(PageDelta.isZero(p, 8)).isTrue();
        p[8 + P - 1] = 1;
        assertThat(PageDelta.isZero(p, 8)).isFalse();
    }

    @ParameterizedTest(name = "seed={0} changes={1} maxRun={2}")
    @MethodSource("pageChanges")
    void shouldRoundTripAnyPageChange(long seed, int changes, int maxRun) {
        Random rnd = new Random(seed);
        byte[] old = new byte[P + 3];
        rnd.nextBytes(old);
        byte[] cur = old.clone();
        for (int i = 0; i < changes; i++) {
            int at = 3 + rnd.nextInt(P);
            int len = Math.min(1 + rnd.nextInt(maxRun + 1), P + 3 - at);
            for (int j = 0; j < len; j++) {
                cur[at + j] = (byte) rnd.nextInt();
            }
        }
        byte[] out = new byte[P + 5];
        int n = PageDelta.encode(old, 3, cur, 3, out, 5, P);
        if (n == PageDelta.TOO_BIG) {
            return; // the page changed so much that RAW is cheaper: nothing to round-trip
        }
        byte[] patched = old.clone();
        PageDelta.decode(out, 5, n, patched, 3);
        assertThat(Arrays.equals(patched, cur)).isTrue();
    }

    static Stream<Arguments> pageChanges() {
        return io.shadowvm.sync.SeededCases.of(0x5eed_0001L, 300, new int[] {0, 400}, new int[] {0, 64});
    }
}
