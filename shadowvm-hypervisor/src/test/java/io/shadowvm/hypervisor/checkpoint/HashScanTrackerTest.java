package io.shadowvm.hypervisor.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashScanTrackerTest {
    @TempDir
    Path dir;

    @Test
    void shouldFindExactlyTheWrittenPagesWithOneOrSeveralThreads() {
        int pages = 1000;
        try (GuestRam ram = GuestRam.openWritable(dir.resolve("r"), pages * 4096L)) {
            HashScanTracker one = new HashScanTracker(ram, 1);
            HashScanTracker three = new HashScanTracker(ram, 3);
            long[] a = new long[(pages + 63) / 64];
            long[] b = new long[a.length];
            assertThat(one.collectInPause(a)).isEqualTo(pages);
            assertThat(three.collectInPause(b)).isEqualTo(pages);
            Random rnd = new Random(7);
            byte[] p = new byte[4096];
            int[] written = {0, 63, 64, 333, 334, 666, 999};
            for (int w : written) {
                rnd.nextBytes(p);
                ram.writePage(w, p, 0);
            }
            a = new long[a.length];
            b = new long[a.length];
            assertThat(one.collectInPause(a)).isEqualTo(written.length);
            assertThat(three.collectInPause(b)).isEqualTo(written.length);
            assertThat(b).isEqualTo(a);
            for (int w : written) {
                assertThat(PageTracker.isSet(a, w)).isTrue();
            }
            three.close();
        }
    }
}
