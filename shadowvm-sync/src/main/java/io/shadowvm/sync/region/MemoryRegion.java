package io.shadowvm.sync.region;

import java.nio.ByteBuffer;

/**
 * A page-addressed memory region of {@link #sizeBytes()} bytes (a multiple of {@link #PAGE_SIZE}).
 * Reads and writes copy whole pages or byte ranges; a range may span pages and mappings. Implementations
 * are not thread-safe for writes; concurrent reads of pages nobody writes are fine.
 */
public interface MemoryRegion extends AutoCloseable {
    int PAGE_SHIFT = 12;
    int PAGE_SIZE = 1 << PAGE_SHIFT;

    long sizeBytes();

    default long pageCount() {
        return sizeBytes() >>> PAGE_SHIFT;
    }

    /** Copies page {@code page} into {@code dst[dstOffset .. dstOffset + PAGE_SIZE)}. */
    void readPage(long page, byte[] dst, int dstOffset);

    /** Overwrites page {@code page} with {@code src[srcOffset .. srcOffset + PAGE_SIZE)}. */
    void writePage(long page, byte[] src, int srcOffset);

    /** Copies {@code length} bytes starting at region offset {@code offset} into {@code dst}. */
    void read(long offset, byte[] dst, int dstOffset, int length);

    /** Writes {@code length} bytes of {@code src} at region offset {@code offset}. */
    void write(long offset, byte[] src, int srcOffset, int length);

    /**
     * A buffer whose {@code [pageOffset(page), pageOffset(page) + PAGE_SIZE)} holds the page; shared, do
     * not change its position or limit. Used for hashing pages in place without a copy.
     */
    ByteBuffer pageBuffer(long page);

    /** The offset of page {@code page} inside {@link #pageBuffer(long)}. */
    int pageOffset(long page);

    /** Flushes writes to the backing store (no-op for heap regions). */
    void force();

    @Override
    void close();

    /** Validates a page index against this region. */
    default void checkPage(long page) {
        if (page < 0 || page >= pageCount()) {
            throw new IndexOutOfBoundsException("invalid page: " + page + " (expected: 0-" + (pageCount() - 1) + ")");
        }
    }
}
