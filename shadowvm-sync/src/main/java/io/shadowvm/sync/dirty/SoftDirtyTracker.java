package io.shadowvm.sync.dirty;

import io.shadowvm.sync.SyncException;
import io.shadowvm.sync.region.MemoryRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Linux soft-dirty tracking of one mapping of a process (e.g. QEMU's mapping of the guest RAM file):
 * {@code collect} reads bit 55 of each page's entry in {@code /proc/PID/pagemap}, then writes {@code 4} to
 * {@code /proc/PID/clear_refs} to start the next interval. Page {@code i} of the region is the mapping's
 * page {@code i}. Needs a kernel built with {@code CONFIG_MEM_SOFT_DIRTY}; {@link #probeSupport()} says why
 * not otherwise, and the constructor refuses with that reason. Note that clear_refs clears the bits of
 * the whole process, so only one soft-dirty tracker per process may run.
 */
public final class SoftDirtyTracker implements DirtyTracker {
    static final long SOFT_DIRTY_BIT = 1L << 55;
    private static final int ENTRIES_PER_READ = 8192;

    private final long pid;
    private final long startAddress;
    private final long pages;
    private final ByteBuffer entries = ByteBuffer.allocateDirect(ENTRIES_PER_READ * 8).order(ByteOrder.nativeOrder());

    /**
     * @param pid the process whose mapping is tracked
     * @param startAddress the mapping's first virtual address (page aligned)
     * @param lengthBytes the mapping's length (a multiple of 4096)
     */
    public SoftDirtyTracker(long pid, long startAddress, long lengthBytes) {
        if ((startAddress & 4095) != 0 || lengthBytes <= 0 || (lengthBytes & 4095) != 0) {
            throw new SyncException("invalid soft-dirty range: 0x" + Long.toHexString(startAddress) + "+" + lengthBytes
                + " (expected: page-aligned start, positive multiple of 4096 length)");
        }
        Optional<String> unsupported = probeSupport();
        if (unsupported.isPresent()) {
            throw new SoftDirtyUnsupportedException(unsupported.get());
        }
        this.pid = pid;
        this.startAddress = startAddress;
        this.pages = lengthBytes / 4096;
        clear();
    }

    /** Tracks the largest mapping of {@code file} in process {@code pid} (from {@code /proc/PID/maps}). */
    public static SoftDirtyTracker forMappedFile(long pid, Path file) {
        long[] m = findMapping(pid, file);
        return new SoftDirtyTracker(pid, m[0], m[1]);
    }

    /** {start, length} of the largest mapping of {@code file} in {@code pid}. */
    public static long[] findMapping(long pid, Path file) {
        String target;
        try {
            target = file.toRealPath().toString();
        } catch (IOException e) {
            throw new SyncException("cannot resolve " + file + ": " + e.getMessage(), e);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/" + pid + "/maps"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SyncException("cannot read /proc/" + pid + "/maps: " + e.getMessage(), e);
        }
        long bestStart = -1;
        long bestLen = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+", 6);
            if (f.length == 6 && f[5].equals(target)) {
                String[] range = f[0].split("-");
                long start = Long.parseUnsignedLong(range[0], 16);
                long len = Long.parseUnsignedLong(range[1], 16) - start;
                if (len > bestLen) {
                    bestStart = start;
                    bestLen = len;
                }
            }
        }
        if (bestStart < 0) {
            throw new SyncException("process " + pid + " has no mapping of " + target);
        }
        return new long[] {bestStart, bestLen};
    }

    /**
     * Empty when soft-dirty tracking works here; otherwise the reason. Probes this JVM: maps a scratch file,
     * clears the soft-dirty bits, writes one page and checks that its pagemap entry shows bit 55.
     */
    public static Optional<String> probeSupport() {
        Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path f = null;
        try {
            if (!Files.exists(Path.of("/proc/self/pagemap"))) {
                return Optional.of("soft-dirty tracking needs Linux /proc/PID/pagemap, which this system lacks; use the hash-scan tracker");
            }
            f = Files.createTempFile(dir, "shadowvm-softdirty-probe", ".bin");
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
                b.put(0, (byte) 1); // fault the page in
                long addr = findMapping(ProcessHandle.current().pid(), f)[0];
                writeClearRefs(ProcessHandle.current().pid());
                b.put(0, (byte) 2);
                long entry = readEntry(ProcessHandle.current().pid(), addr);
                if ((entry & SOFT_DIRTY_BIT) == 0) {
                    return Optional.of("Linux soft-dirty tracking is unavailable: after writing 4 to /proc/self/clear_refs and "
                        + "writing a page, bit 55 of its /proc/self/pagemap entry stayed clear (kernel "
                        + System.getProperty("os.version") + " probably lacks CONFIG_MEM_SOFT_DIRTY); use the hash-scan tracker");
                }
                return Optional.empty();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of("Linux soft-dirty tracking is unavailable: " + e.getMessage() + "; use the hash-scan tracker");
        } finally {
            if (f != null) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // a leftover 4 KiB probe file is harmless
                }
            }
        }
    }

    private static void writeClearRefs(long pid) throws IOException {
        Files.write(Path.of("/proc/" + pid + "/clear_refs"), "4".getBytes(StandardCharsets.US_ASCII));
    }

    private static long readEntry(long pid, long addr) throws IOException {
        try (FileChannel pm = FileChannel.open(Path.of("/proc/" + pid + "/pagemap"), StandardOpenOption.READ)) {
            ByteBuffer e = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            pm.read(e, (addr / 4096) * 8);
            return e.getLong(0);
        }
    }

    private void clear() {
        try {
            writeClearRefs(pid);
        } catch (IOException e) {
            throw new SyncException("cannot clear soft-dirty bits of process " + pid + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void collect(MemoryRegion region, PageList out) {
        long n = Math.min(pages, region.pageCount());
        try (FileChannel pm = FileChannel.open(Path.of("/proc/" + pid + "/pagemap"), StandardOpenOption.READ)) {
            long first = startAddress / 4096;
            for (long p = 0; p < n; p += ENTRIES_PER_READ) {
                int count = (int) Math.min(ENTRIES_PER_READ, n - p);
                entries.clear().limit(count * 8);
                long pos = (first + p) * 8;
                while (entries.hasRemaining()) {
                    int r = pm.read(entries, pos + entries.position());
                    if (r < 0) {
                        throw new SyncException("short read of /proc/" + pid + "/pagemap at page " + (p + entries.position() / 8));
                    }
                }
                for (int i = 0; i < count; i++) {
                    if ((entries.getLong(i * 8) & SOFT_DIRTY_BIT) != 0) {
                        out.add(p + i);
                    }
                }
            }
        } catch (IOException e) {
            throw new SyncException("cannot read /proc/" + pid + "/pagemap: " + e.getMessage(), e);
        }
        clear();
    }

    @Override
    public boolean firstCollectCoversWholeRegion() {
        return false;
    }

    @Override
    public String name() {
        return "soft-dirty";
    }
}
