package io.shadowvm.hypervisor.checkpoint;

import io.shadowvm.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A guest RAM file mapped into this JVM in 1 GiB chunks (a {@link MappedByteBuffer} is int-indexed).
 * Page-level accessors take no locks and allocate nothing.
 */
public final class GuestRam implements AutoCloseable {
    public static final int PAGE_SIZE = 4096;
    public static final int PAGE_SHIFT = 12;
    private static final int CHUNK_SHIFT = 30;
    private static final int PAGES_PER_CHUNK_SHIFT = CHUNK_SHIFT - PAGE_SHIFT;

    private final Path file;
    private final long sizeBytes;
    private final int pages;
    private final MappedByteBuffer[] chunks;
    private final boolean writable;

    private GuestRam(Path file, long sizeBytes, boolean writable) {
        if (sizeBytes <= 0 || (sizeBytes & (PAGE_SIZE - 1)) != 0 || sizeBytes > (1L << 40)) {
            throw new HypervisorException("invalid guest RAM size of " + file + ": " + sizeBytes + " (expected: a positive multiple of 4096, at most 1 TiB)");
        }
        this.file = file;
        this.sizeBytes = sizeBytes;
        this.pages = (int) (sizeBytes >>> PAGE_SHIFT);
        this.writable = writable;
        int n = (int) ((sizeBytes + (1L << CHUNK_SHIFT) - 1) >>> CHUNK_SHIFT);
        this.chunks = new MappedByteBuffer[n];
        try (FileChannel ch = writable
                ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                : FileChannel.open(file, StandardOpenOption.READ)) {
            if (writable && ch.size() < sizeBytes) {
                ch.truncate(sizeBytes);
                ch.write(java.nio.ByteBuffer.wrap(new byte[1]), sizeBytes - 1);
            }
            if (ch.size() < sizeBytes) {
                throw new HypervisorException("guest RAM file " + file + " has " + ch.size() + " bytes (expected: at least " + sizeBytes + ")");
            }
            for (int i = 0; i < n; i++) {
                long off = (long) i << CHUNK_SHIFT;
                long len = Math.min(1L << CHUNK_SHIFT, sizeBytes - off);
                chunks[i] = ch.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, off, len);
                chunks[i].order(ByteOrder.LITTLE_ENDIAN);
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot map guest RAM file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Maps an existing RAM file read-only (the primary side: QEMU writes it, we only read). */
    public static GuestRam openReadOnly(Path file, long sizeBytes) {
        return new GuestRam(file, sizeBytes, false);
    }

    /** Maps (creating or growing) a RAM file read-write (the shadow replica). */
    public static GuestRam openWritable(Path file, long sizeBytes) {
        return new GuestRam(file, sizeBytes, true);
    }

    public int pages() {
        return pages;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public Path file() {
        return file;
    }

    private MappedByteBuffer chunk(int page) {
        return chunks[page >>> PAGES_PER_CHUNK_SHIFT];
    }

    private static int offset(int page) {
        return (page & ((1 << PAGES_PER_CHUNK_SHIFT) - 1)) << PAGE_SHIFT;
    }

    /** Copies one page into {@code dst[dstOff..dstOff+4096)}. */
    public void readPage(int page, byte[] dst, int dstOff) {
        chunk(page).get(offset(page), dst, dstOff, PAGE_SIZE);
    }

    /** Overwrites one page (writable mappings only). */
    public void writePage(int page, byte[] src, int srcOff) {
        chunk(page).put(offset(page), src, srcOff, PAGE_SIZE);
    }

    /** Zeroes one page (writable mappings only). */
    public void zeroPage(int page) {
        MappedByteBuffer c = chunk(page);
        int base = offset(page);
        for (int i = 0; i < PAGE_SIZE; i += 8) {
            c.putLong(base + i, 0L);
        }
    }

    /** True when the page is all zero bytes. */
    public boolean isZeroPage(int page) {
        MappedByteBuffer c = chunk(page);
        int base = offset(page);
        for (int i = 0; i < PAGE_SIZE; i += 8) {
            if (c.getLong(base + i) != 0L) {
                return false;
            }
        }
        return true;
    }

    /** A 64-bit hash of one page (multiply-rotate over 4 lanes; not cryptographic, collisions ~2^-64). */
    public long hashPage(int page) {
        MappedByteBuffer c = chunk(page);
        int base = offset(page);
        long h0 = 0x9E3779B97F4A7C15L;
        long h1 = 0xC2B2AE3D27D4EB4FL;
        long h2 = 0x165667B19E3779F9L;
        long h3 = 0x27D4EB2F165667C5L;
        for (int i = 0; i < PAGE_SIZE; i += 32) {
            h0 = Long.rotateLeft(h0 + c.getLong(base + i) * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
            h1 = Long.rotateLeft(h1 + c.getLong(base + i + 8) * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
            h2 = Long.rotateLeft(h2 + c.getLong(base + i + 16) * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
            h3 = Long.rotateLeft(h3 + c.getLong(base + i + 24) * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
        }
        long h = Long.rotateLeft(h0, 1) + Long.rotateLeft(h1, 7) + Long.rotateLeft(h2, 12) + Long.rotateLeft(h3, 18);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        return h ^ (h >>> 29);
    }

    /** True when page {@code page} of this and {@code other} hold the same bytes. */
    public boolean samePage(int page, GuestRam other) {
        return chunk(page).slice(offset(page), PAGE_SIZE).mismatch(other.chunk(page).slice(offset(page), PAGE_SIZE)) < 0;
    }

    /** Copies the whole RAM into {@code dst} (a private copy, e.g. for copy-and-diff tracking). */
    public void copyAllTo(GuestRam dst) {
        for (int i = 0; i < chunks.length; i++) {
            dst.chunks[i].put(0, chunks[i], 0, chunks[i].capacity());
        }
    }

    /** Makes writes visible to other mappers before a commit point (a no-op on tmpfs, kept for disk files). */
    public void force() {
        if (writable) {
            for (MappedByteBuffer c : chunks) {
                c.force();
            }
        }
    }

    @Override
    public void close() {
        // MappedByteBuffers are unmapped by the GC; nothing to release eagerly in Java 17 without internals
    }
}
