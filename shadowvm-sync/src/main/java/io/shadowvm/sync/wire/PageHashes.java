package io.shadowvm.sync.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * PAGE_HASHES (type 3), sink → source: XXH64 (seed 0) of {@code count} consecutive replica pages.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                    firstPage (u64)                            |  0
 * +-------------------------------+-------------------------------+
 * |   count (u32, 1-65536)        |  hash[0] (u64) ...            |  8
 * +-------------------------------+-------------------------------+
 * |  ... hash[count-1]                                            |
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class PageHashes {
    public static final int HEADER_BYTES = 12;
    public static final int MAX_HASHES = 65536;

    private PageHashes() {
    }

    public static ByteBuf encode(ByteBufAllocator alloc, long firstPage, long[] hashes, int from, int count) {
        ByteBuf b = FrameHeader.start(alloc, FrameType.PAGE_HASHES, 0, HEADER_BYTES + count * 8);
        b.writeLong(firstPage).writeInt(count);
        for (int i = 0; i < count; i++) {
            b.writeLong(hashes[from + i]);
        }
        return FrameHeader.seal(b);
    }

    /** Reads the hashes into {@code into[firstPage..]}; returns how many; checks every bound first. */
    public static int decodeInto(ByteBuf p, long[] into) {
        if (p.readableBytes() < HEADER_BYTES) {
            throw new CorruptedFrameException("invalid PAGE_HASHES payload length: " + p.readableBytes()
                + " (expected: >= " + HEADER_BYTES + ")");
        }
        long first = p.readLong();
        long count = p.readUnsignedInt();
        if (count < 1 || count > MAX_HASHES || p.readableBytes() != count * 8) {
            throw new CorruptedFrameException("invalid PAGE_HASHES count: " + count + " with " + p.readableBytes()
                + " hash bytes (expected: 1-" + MAX_HASHES + ", 8 bytes each)");
        }
        if (first < 0 || first + count > into.length) {
            throw new CorruptedFrameException("PAGE_HASHES pages " + first + "+" + count
                + " outside the region (expected: within 0-" + into.length + ")");
        }
        for (int i = 0; i < count; i++) {
            into[(int) first + i] = p.readLong();
        }
        return (int) count;
    }
}
