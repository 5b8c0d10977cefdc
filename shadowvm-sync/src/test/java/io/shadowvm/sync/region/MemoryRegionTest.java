package io.shadowvm.sync.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.sync.SyncException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryRegionTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadBackPagesAndRangesThatSpanChunks() {
        HeapRegion r = new HeapRegion(16 * 4096, 14); // 4 pages per chunk
        byte[] data = new byte[10_000];
        new Random(1).nextBytes(data);
        r.write(3 * 4096 + 100, data, 0, data.length);
        byte[] back = new byte[data.length];
        r.read(3 * 4096 + 100, back, 0, back.length);
        assertThat(back).isEqualTo(data);
        byte[] page = new byte[4096];
        r.readPage(4, page, 0);
        assertThat(Arrays.copyOfRange(page, 0, 100)).isEqualTo(Arrays.copyOfRange(data, 4096 - 100, 4096));
    }

    @Test
    void shouldRefuseSizesThatAreNotWholePages() {
        assertThatThrownBy(() -> new HeapRegion(4097)).hasMessageContaining("4097").hasMessageContaining("4096");
    }

    @Test
    void shouldMapAFileInSeveralMappingsAndPersistWrites() throws Exception {
        Path f = dir.resolve("ram");
        byte[] page = new byte[4096];
        Arrays.fill(page, (byte) 7);
        try (MappedFileRegion r = MappedFileRegion.openOrCreate(f, 64 * 4096, 16)) {
            r.writePage(63, page, 0);
            r.writePage(15, page, 0);
            r.force();
        }
        byte[] all = Files.readAllBytes(f);
        assertThat(all).hasSize(64 * 4096);
        assertThat(all[63 * 4096]).isEqualTo((byte) 7);
        assertThat(all[16 * 4096]).isZero();
        try (MappedFileRegion r = MappedFileRegion.openReadOnly(f)) {
            byte[] back = new byte[4096];
            r.readPage(15, back, 0);
            assertThat(back).isEqualTo(page);
        }
    }

    @Test
    void shouldMapARegionLargerThan2GiBAsSparseFileInDevShm() throws Exception {
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : dir;
        Path f = Files.createTempFile(base, "shadowvm-region-test", ".ram");
        Files.delete(f);
        try (MappedFileRegion r = MappedFileRegion.openOrCreate(f, 3L << 30)) {
            assertThat(r.pageCount()).isEqualTo((3L << 30) / 4096);
            byte[] page = new byte[4096];
            Arrays.fill(page, (byte) 0x5A);
            long last = r.pageCount() - 1;
            r.writePage(last, page, 0);
            r.writePage((1L << 30) / 4096, page, 0);
            byte[] back = new byte[4096];
            r.readPage(last, back, 0);
            assertThat(back).isEqualTo(page);
            byte[] cross = new byte[8];
            r.read((1L << 30) - 4, cross, 0, 8);
            assertThat(cross).containsExactly(0, 0, 0, 0, 0x5A, 0x5A, 0x5A, 0x5A);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void shouldRefuseAnExistingFileOfAnotherSize() throws Exception {
        Path f = dir.resolve("ram");
        Files.write(f, new byte[8192]);
        assertThatThrownBy(() -> MappedFileRegion.openOrCreate(f, 4096))
            .isInstanceOf(SyncException.class).hasMessageContaining("8192").hasMessageContaining("4096");
    }

    @Test
    void shouldNameTheMissingFile() {
        assertThatThrownBy(() -> MappedFileRegion.open(dir.resolve("nope")))
            .isInstanceOf(SyncException.class).hasMessageContaining("nope");
    }
}
