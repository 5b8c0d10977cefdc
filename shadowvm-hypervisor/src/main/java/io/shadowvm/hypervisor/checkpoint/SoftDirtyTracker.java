package io.shadowvm.hypervisor.checkpoint;

import io.shadowvm.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Linux soft-dirty tracking of the QEMU process's mapping of the guest RAM file (Documentation/admin-guide/mm/
 * soft-dirty.rst). {@code /proc/PID/pagemap} has one little-endian u64 per virtual page; bit 55 is soft-dirty.
 * Writing {@code 4} to {@code /proc/PID/clear_refs} clears the bits of the whole process and write-protects its
 * pages, so the next write to a page sets the bit again. Reading the bits costs 8 bytes per guest page, not 4096.
 * The first collect reports every page (the bootstrap epoch).
 */
public final class SoftDirtyTracker implements PageTracker {
    static final long SOFT_DIRTY_BIT = 1L << 55;

    private final GuestRam ram;
    private final long pid;
    private final long mappingStart;
    private final FileChannel pagemap;
    private final ByteBuffer buf;
    private boolean first = true;

    public SoftDirtyTracker(GuestRam ram, long pid) {
        this.ram = ram;
        this.pid = pid;
        this.mappingStart = findMapping(pid, ram.file(), ram.sizeBytes());
        try {
            this.pagemap = FileChannel.open(Path.of("/proc/" + pid + "/pagemap"), StandardOpenOption.READ);
        } catch (IOException e) {
            throw new HypervisorException("cannot open /proc/" + pid + "/pagemap: " + e.getMessage(), e);
        }
        this.buf = ByteBuffer.allocateDirect(Math.min(ram.pages(), 1 << 16) * 8).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static volatile Boolean supported;

    /**
     * True when this kernel tracks soft-dirty bits ({@code CONFIG_MEM_SOFT_DIRTY}). Without it {@code clear_refs}
     * still accepts {@code 4} but bit 55 is never set, so the check looks for the bit on this JVM's own present pages
     * (pages never cleared are all soft-dirty when the feature exists).
     */
    public static boolean supported() {
        Boolean s = supported;
        if (s == null) {
            s = probeSelf();
            supported = s;
        }
        return s;
    }

    private static boolean probeSelf() {
        try (FileChannel pm = FileChannel.open(Path.of("/proc/self/pagemap"), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8 * 256).order(ByteOrder.LITTLE_ENDIAN);
            for (String l : Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.UTF_8)) {
                if (!l.contains(" rw-p ")) {
                    continue;
                }
                long start = Long.parseUnsignedLong(l.substring(0, l.indexOf('-')), 16);
                b.clear();
                pm.read(b, (start >>> GuestRam.PAGE_SHIFT) * 8);
                for (int i = 0; i + 8 <= b.position(); i += 8) {
                    long e = b.getLong(i);
                    if (e < 0 && (e & SOFT_DIRTY_BIT) != 0) { // bit 63 present and bit 55 soft-dirty
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The start address of the process's mapping of {@code file} whose length is {@code size}. */
    static long findMapping(long pid, Path file, long size) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/maps"), StandardCharsets.UTF_8);
            String want = file.toAbsolutePath().normalize().toString();
            for (String l : lines) {
                if (!l.endsWith(want)) {
                    continue;
                }
                String range = l.substring(0, l.indexOf(' '));
                int dash = range.indexOf('-');
                long start = Long.parseUnsignedLong(range.substring(0, dash), 16);
                long end = Long.parseUnsignedLong(range.substring(dash + 1), 16);
                if (end - start == size) {
                    return start;
                }
            }
            throw new HypervisorException("process " + pid + " has no " + size + "-byte mapping of " + want);
        } catch (IOException e) {
            throw new HypervisorException("cannot read /proc/" + pid + "/maps: " + e.getMessage(), e);
        }
    }

    @Override
    public int collectInPause(long[] dirty) {
        int pages = ram.pages();
        if (first) {
            for (int p = 0; p < pages; p++) {
                PageTracker.mark(dirty, p);
            }
            first = false;
            return pages;
        }
        int n = 0;
        try {
            int perRead = buf.capacity() / 8;
            for (int base = 0; base < pages; base += perRead) {
                int count = Math.min(perRead, pages - base);
                buf.clear().limit(count * 8);
                long pos = ((mappingStart >>> GuestRam.PAGE_SHIFT) + base) * 8L;
                while (buf.hasRemaining()) {
                    if (pagemap.read(buf, pos + buf.position()) < 0) {
                        throw new HypervisorException("short read of /proc/" + pid + "/pagemap at " + pos);
                    }
                }
                for (int i = 0; i < count; i++) {
                    if ((buf.getLong(i * 8) & SOFT_DIRTY_BIT) != 0) {
                        PageTracker.mark(dirty, base + i);
                        n++;
                    }
                }
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot read /proc/" + pid + "/pagemap: " + e.getMessage(), e);
        }
        return n;
    }

    @Override
    public void rearmInPause() {
        try {
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "4");
        } catch (IOException e) {
            throw new HypervisorException("cannot clear soft-dirty bits of process " + pid + ": " + e.getMessage(), e);
        }
    }

    @Override
    public GuestRam pageSource() {
        return ram;
    }

    @Override
    public void close() {
        try {
            pagemap.close();
        } catch (IOException e) {
            throw new HypervisorException("cannot close pagemap of " + pid + ": " + e.getMessage(), e);
        }
    }
}
