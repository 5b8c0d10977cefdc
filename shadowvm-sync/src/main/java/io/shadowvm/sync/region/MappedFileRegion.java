package io.shadowvm.sync.region;

import io.shadowvm.sync.SyncException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/**
 * A region over a memory-mapped file, mapped as several 1 GiB (or smaller) shared mappings so that files
 * above 2 GiB work. Writes through a shared mapping are visible to every other process mapping the file,
 * which is what makes a QEMU {@code memory-backend-file,share=on} RAM file in {@code /dev/shm} readable here.
 * The mappings are released when the buffers are garbage collected (the JDK offers no unmap).
 */
public final class MappedFileRegion extends ByteBufferRegion {
    private final Path path;
    private final boolean writable;

    private MappedFileRegion(Path path, long size, int chunkShift, ByteBuffer[] chunks, boolean writable) {
        super(size, chunkShift, chunks);
        this.path = path;
        this.writable = writable;
    }

    /** Maps an existing file read-write; its size must be a multiple of the page size. */
    public static MappedFileRegion open(Path path) {
        return map(path, -1, true, ByteBufferRegion.DEFAULT_CHUNK_SHIFT);
    }

    /** Maps an existing file read-only (e.g. a guest's RAM file for a hash scan). */
    public static MappedFileRegion openReadOnly(Path path) {
        return map(path, -1, false, ByteBufferRegion.DEFAULT_CHUNK_SHIFT);
    }

    /**
     * Maps {@code path} read-write, creating it (sparse, all zeros) with {@code sizeBytes} when missing. An
     * existing file must have exactly {@code sizeBytes}.
     */
    public static MappedFileRegion openOrCreate(Path path, long sizeBytes) {
        return map(path, sizeBytes, true, ByteBufferRegion.DEFAULT_CHUNK_SHIFT);
    }

    /** As {@link #openOrCreate(Path, long)} with a given mapping size (2^chunkShift), for tests. */
    public static MappedFileRegion openOrCreate(Path path, long sizeBytes, int chunkShift) {
        return map(path, sizeBytes, true, chunkShift);
    }

    private static MappedFileRegion map(Path path, long wantedSize, boolean writable, int chunkShift) {
        Set<StandardOpenOption> opts = writable
            ? EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE)
            : EnumSet.of(StandardOpenOption.READ);
        try {
            boolean exists = Files.exists(path);
            if (!exists && wantedSize < 0) {
                throw new SyncException("region file not found: " + path);
            }
            if (!exists) {
                checkSize(wantedSize);
                opts.add(StandardOpenOption.CREATE_NEW);
            }
            try (FileChannel ch = FileChannel.open(path, opts)) {
                long size = ch.size();
                if (!exists) {
                    ch.truncate(wantedSize); // sparse: no pages are written
                    ch.write(ByteBuffer.allocate(1), wantedSize - 1);
                    size = wantedSize;
                }
                if (wantedSize >= 0 && size != wantedSize) {
                    throw new SyncException("region size mismatch: " + path + " has " + size
                        + " bytes (expected: " + wantedSize + ")");
                }
                if (size <= 0 || (size & (PAGE_SIZE - 1)) != 0) {
                    throw new SyncException("invalid region file size: " + path + " has " + size
                        + " bytes (expected: a positive multiple of " + PAGE_SIZE + ")");
                }
                ByteBuffer[] chunks = new ByteBuffer[chunkCount(size, chunkShift)];
                FileChannel.MapMode mode = writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY;
                for (int i = 0; i < chunks.length; i++) {
                    chunks[i] = ch.map(mode, (long) i << chunkShift, chunkLength(size, chunkShift, i));
                }
                return new MappedFileRegion(path, size, chunkShift, chunks, writable);
            }
        } catch (IOException e) {
            throw new SyncException("cannot map region file " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    public boolean writable() {
        return writable;
    }

    @Override
    public void force() {
        if (!writable) {
            return;
        }
        for (ByteBuffer b : chunks()) {
            try {
                ((MappedByteBuffer) b).force();
            } catch (UncheckedIOException e) {
                throw new SyncException("cannot flush region file " + path + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        // Mappings are released by the GC; nothing to close once mapped.
    }
}
