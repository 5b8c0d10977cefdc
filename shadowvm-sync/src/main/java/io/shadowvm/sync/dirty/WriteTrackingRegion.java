package io.shadowvm.sync.dirty;

import io.shadowvm.sync.region.MemoryRegion;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A region wrapper that records which pages were written through it, and the {@link DirtyTracker} that
 * reports them. Writes may come from any thread; {@link #collect} must run while writers are paused (as the
 * source's contract requires). Writes that bypass this wrapper (e.g. via {@link #pageBuffer}) are not seen.
 */
public final class WriteTrackingRegion implements MemoryRegion, DirtyTracker {
    private final MemoryRegion delegate;
    private final AtomicLongArray bits;

    public WriteTrackingRegion(MemoryRegion delegate) {
        this.delegate = delegate;
        this.bits = new AtomicLongArray((int) ((delegate.pageCount() + 63) >>> 6));
    }

    private void mark(long offset, int length) {
        if (length <= 0) {
            return;
        }
        long first = offset >>> PAGE_SHIFT;
        long last = (offset + length - 1) >>> PAGE_SHIFT;
        for (long p = first; p <= last; p++) {
            int w = (int) (p >>> 6);
            long m = 1L << (p & 63);
            if ((bits.get(w) & m) == 0) {
                bits.getAndAccumulate(w, m, (a, b) -> a | b);
            }
        }
    }

    @Override
    public void collect(MemoryRegion region, PageList out) {
        for (int w = 0; w < bits.length(); w++) {
            long v = bits.getAndSet(w, 0);
            while (v != 0) {
                int b = Long.numberOfTrailingZeros(v);
                out.add(((long) w << 6) + b);
                v &= v - 1;
            }
        }
    }

    @Override
    public boolean firstCollectCoversWholeRegion() {
        return false;
    }

    @Override
    public String name() {
        return "write-tracking";
    }

    @Override
    public long sizeBytes() {
        return delegate.sizeBytes();
    }

    @Override
    public void readPage(long page, byte[] dst, int dstOffset) {
        delegate.readPage(page, dst, dstOffset);
    }

    @Override
    public void writePage(long page, byte[] src, int srcOffset) {
        delegate.writePage(page, src, srcOffset);
        mark(page << PAGE_SHIFT, PAGE_SIZE);
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        delegate.read(offset, dst, dstOffset, length);
    }

    @Override
    public void write(long offset, byte[] src, int srcOffset, int length) {
        delegate.write(offset, src, srcOffset, length);
        mark(offset, length);
    }

    @Override
    public ByteBuffer pageBuffer(long page) {
        return delegate.pageBuffer(page);
    }

    @Override
    public int pageOffset(long page) {
        return delegate.pageOffset(page);
    }

    @Override
    public void force() {
        delegate.force();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
