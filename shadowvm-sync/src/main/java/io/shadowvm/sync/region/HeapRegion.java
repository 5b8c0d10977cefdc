package io.shadowvm.sync.region;

import java.nio.ByteBuffer;

/** An in-memory region on the Java heap, for tests and benchmarks. */
public final class HeapRegion extends ByteBufferRegion {
    public HeapRegion(long sizeBytes) {
        this(sizeBytes, DEFAULT_CHUNK_SHIFT);
    }

    /** With a smaller chunk size, tests exercise multi-chunk regions without allocating gigabytes. */
    public HeapRegion(long sizeBytes, int chunkShift) {
        super(checked(sizeBytes, chunkShift), chunkShift, allocate(sizeBytes, chunkShift));
    }

    private static long checked(long sizeBytes, int chunkShift) {
        checkSize(sizeBytes);
        if (chunkShift < PAGE_SHIFT || chunkShift > DEFAULT_CHUNK_SHIFT) {
            throw new IllegalArgumentException("invalid chunk shift: " + chunkShift
                + " (expected: " + PAGE_SHIFT + "-" + DEFAULT_CHUNK_SHIFT + ")");
        }
        return sizeBytes;
    }

    private static ByteBuffer[] allocate(long sizeBytes, int chunkShift) {
        ByteBuffer[] chunks = new ByteBuffer[chunkCount(sizeBytes, chunkShift)];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = ByteBuffer.allocate(chunkLength(sizeBytes, chunkShift, i));
        }
        return chunks;
    }

    @Override
    public void force() {
    }

    @Override
    public void close() {
    }
}
