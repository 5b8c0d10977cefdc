package io.shadowvm.sync.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * EPOCH_END (type 7), source → sink. The sink checks the counts against what it staged; with frame flag bit 0
 * (DIGEST) it also checks the whole-region digest (XXH64 over the big-endian array of per-page XXH64 hashes
 * of the region at this epoch) before applying, and refuses the epoch on a mismatch.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                      epoch (u64)                              |  0
 * +---------------------------------------------------------------+
 * |                      pages (u64)                              |  8
 * +-------------------------------+-------------------------------+
 * |      batches (u32)            |  digest (u64) ...             | 16
 * +-------------------------------+-------------------------------+
 * |      ... digest               |                                 24..28
 * +-------------------------------+
 * </pre>
 */
public record EpochEnd(long epoch, long pages, int batches, long digest) {
    public static final int BYTES = 28;
    public static final int FLAG_DIGEST = 1;

    public ByteBuf encode(ByteBufAllocator alloc, int flags) {
        ByteBuf b = FrameHeader.start(alloc, FrameType.EPOCH_END, flags, BYTES);
        b.writeLong(epoch).writeLong(pages).writeInt(batches).writeLong(digest);
        return FrameHeader.seal(b);
    }

    public static EpochEnd decode(ByteBuf p) {
        Payloads.expectLength(FrameType.EPOCH_END, p, BYTES);
        return new EpochEnd(p.readLong(), p.readLong(), p.readInt(), p.readLong());
    }
}
