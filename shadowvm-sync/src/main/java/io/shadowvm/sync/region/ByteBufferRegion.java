package io.shadowvm.sync.region;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A region made of equally sized chunks (a power of two, a multiple of the page size), so that a page never
 * spans two chunks. This is how a region above 2 GiB is built from several {@code ByteBuffer}s.
 */
abstract class ByteBufferRegion implements MemoryRegion {
    /** 1 GiB per chunk: the largest power of two a {@code ByteBuffer} can hold. */
    static final int DEFAULT_CHUNK_SHIFT = 30;

    private final long sizeBytes;
    private final int chunkShift;
    private final long chunkMask;
    private final int pagesPerChunkShift;
    private final ByteBuffer[] chunks;

    ByteBufferRegion(long sizeBytes, int chunkShift, ByteBuffer[] chunks) {
        this.sizeBytes = sizeBytes;
        this.chunkShift = chunkShift;
        this.chunkMask = (1L << chunkShift) - 1;
        this.pagesPerChunkShift = chunkShift - PAGE_SHIFT;
        this.chunks = Objects.requireNonNull(chunks, "chunks");
    }

    static void checkSize(long sizeBytes) {
        if (sizeBytes <= 0 || (sizeBytes & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException(
                "invalid region size: " + sizeBytes + " bytes (expected: a positive multiple of " + PAGE_SIZE + ")");
        }
    }

    static int chunkCount(long sizeBytes, int chunkShift) {
        return (int) ((sizeBytes + (1L << chunkShift) - 1) >>> chunkShift);
    }

    static int chunkLength(long sizeBytes, int chunkShift, int chunk) {
        long start = (long) chunk << chunkShift;
        return (int) Math.min(1L << chunkShift, sizeBytes - start);
    }

    @Override
    public final long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public final ByteBuffer pageBuffer(long page) {
        return chunks[(int) (page >>> pagesPerChunkShift)];
    }

    @Override
    public final int pageOffset(long page) {
        return (int) ((page << PAGE_SHIFT) & chunkMask);
    }

    @Override
    public final void readPage(long page, byte[] dst, int dstOffset) {
        checkPage(page);
        pageBuffer(page).get(pageOffset(page), dst, dstOffset, PAGE_SIZE);
    }

    @Override
    public final void writePage(long page, byte[] src, int srcOffset) {
        checkPage(page);
        pageBuffer(page).put(pageOffset(page), src, srcOffset, PAGE_SIZE);
    }

    @Override
    public final void read(long offset, byte[] dst, int dstOffset, int length) {
        checkRange(offset, length);
        while (length > 0) {
            int chunk = (int) (offset >>> chunkShift);
            int at = (int) (offset & chunkMask);
            int n = Math.min(length, chunks[chunk].capacity() - at);
            chunks[chunk].get(at, dst, dstOffset, n);
            offset += n;
            dstOffset += n;
            length -= n;
        }
    }

    @Override
    public final void write(long offset, byte[] src, int srcOffset, int length) {
        checkRange(offset, length);
        while (length > 0) {
            int chunk = (int) (offset >>> chunkShift);
            int at = (int) (offset & chunkMask);
            int n = Math.min(length, chunks[chunk].capacity() - at);
            chunks[chunk].put(at, src, srcOffset, n);
            offset += n;
            srcOffset += n;
            length -= n;
        }
    }

    private void checkRange(long offset, int length) {
        if (offset < 0 || length < 0 || offset + length > sizeBytes) {
            throw new IndexOutOfBoundsException("invalid range: offset " + offset + " length " + length
                + " (expected: within 0-" + sizeBytes + ")");
        }
    }

    final ByteBuffer[] chunks() {
        return chunks;
    }
}
