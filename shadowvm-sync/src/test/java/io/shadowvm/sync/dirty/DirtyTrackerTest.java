package io.shadowvm.sync.dirty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.sync.codec.PageHashing;
import io.shadowvm.sync.region.HeapRegion;
import io.shadowvm.sync.region.MappedFileRegion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirtyTrackerTest {
    @TempDir
    Path dir;

    private static List<Long> collect(DirtyTracker t, io.shadowvm.sync.region.MemoryRegion r) {
        PageList out = new PageList();
        t.collect(r, out);
        List<Long> l = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            l.add(out.get(i));
        }
        return l;
    }

    @Test
    void shouldReportNonZeroPagesFirstThenOnlyPagesWhoseContentChanged() {
        HeapRegion r = new HeapRegion(16 * 4096);
        HashScanTracker t = new HashScanTracker();
        r.write(3 * 4096 + 10, new byte[] {1}, 0, 1);
        assertThat(collect(t, r)).containsExactly(3L);
        assertThat(collect(t, r)).isEmpty();
        r.write(9 * 4096, new byte[] {5, 6}, 0, 2);
        r.write(3 * 4096 + 10, new byte[] {1}, 0, 1); // same bytes again: not a change
        assertThat(collect(t, r)).containsExactly(9L);
    }

    @Test
    void shouldDigestTheRegionAsOfTheLastScanWithoutReadingItAgain() {
        HeapRegion r = new HeapRegion(8 * 4096);
        HashScanTracker t = new HashScanTracker();
        assertThatThrownBy(t::digest).isInstanceOf(IllegalStateException.class).hasMessageContaining("collect first");
        r.write(2 * 4096, new byte[] {7}, 0, 1);
        collect(t, r);
        long[] expected = new long[8];
        for (int p = 0; p < 8; p++) {
            expected[p] = PageHashing.hash(r, p);
        }
        assertThat(t.digest()).isEqualTo(PageHashing.digest(expected));
        long before = t.digest();
        r.write(5 * 4096, new byte[] {1}, 0, 1);
        assertThat(t.digest()).as("unchanged until the next scan").isEqualTo(before);
        collect(t, r);
        assertThat(t.digest()).isNotEqualTo(before);
    }

    @Test
    void shouldReportPagesWrittenThroughTheRegionApiIncludingRangesThatSpanPages() {
        WriteTrackingRegion r = new WriteTrackingRegion(new HeapRegion(16 * 4096));
        r.write(4096 - 2, new byte[4], 0, 4);
        r.writePage(7, new byte[4096], 0);
        assertThat(collect(r, r)).containsExactly(0L, 1L, 7L);
        assertThat(collect(r, r)).isEmpty();
        assertThat(r.firstCollectCoversWholeRegion()).isFalse();
    }

    @Test
    void shouldExplainWhySoftDirtyTrackingIsUnavailableOrTrackWritesToAMappedFile() throws Exception {
        Optional<String> unsupported = SoftDirtyTracker.probeSupport();
        if (unsupported.isPresent()) {
            assertThat(unsupported.get()).contains("soft-dirty").contains("hash-scan");
            assertThatThrownBy(() -> new SoftDirtyTracker(ProcessHandle.current().pid(), 0, 4096))
                .isInstanceOf(SoftDirtyUnsupportedException.class).hasMessageContaining("hash-scan");
        }
        Assumptions.assumeTrue(unsupported.isEmpty(), () -> "soft-dirty tracking unsupported here: " + unsupported.get());
        Path f = dir.resolve("guest.ram");
        try (MappedFileRegion r = MappedFileRegion.openOrCreate(f, 8 * 4096)) {
            for (int p = 0; p < 8; p++) {
                r.write(p * 4096L, new byte[] {1}, 0, 1); // map every page
            }
            SoftDirtyTracker t = SoftDirtyTracker.forMappedFile(ProcessHandle.current().pid(), f);
            r.write(5 * 4096L + 1, new byte[] {9}, 0, 1);
            assertThat(collect(t, r)).contains(5L).doesNotContain(2L);
        }
        Files.deleteIfExists(f);
    }

    @Test
    void shouldNameTheProcessWhenTheFileIsNotMapped() throws Exception {
        Path f = Files.createFile(dir.resolve("unmapped"));
        assertThatThrownBy(() -> SoftDirtyTracker.findMapping(ProcessHandle.current().pid(), f))
            .hasMessageContaining("no mapping of").hasMessageContaining("unmapped");
    }

    @Test
    void shouldFindTheSamePagesInTheSameOrderWhenScanningWithSeveralThreads() {
        HeapRegion r = new HeapRegion(5000 * 4096L, 20);
        java.util.Random rnd = new java.util.Random(8);
        try (HashScanTracker one = new HashScanTracker(); HashScanTracker three = new HashScanTracker(3)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 300; i++) {
                    r.write((long) (rnd.nextDouble() * (r.sizeBytes() - 8)), new byte[] {(byte) (1 + rnd.nextInt(100))}, 0, 1);
                }
                List<Long> a = collect(one, r);
                List<Long> b = collect(three, r);
                assertThat(b).isNotEmpty().isEqualTo(a).isSorted();
            }
        }
    }
}
