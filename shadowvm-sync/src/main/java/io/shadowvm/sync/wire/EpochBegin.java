package io.shadowvm.sync.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * EPOCH_BEGIN (type 4), source → sink. {@code baseEpoch} is the epoch the sink must hold for this epoch's
 * deltas to apply (the sink refuses the epoch otherwise). Frame flag bit 0 (CATCH_UP) marks a catch-up epoch
 * (pages sent whole, base = the sink's resume point).
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                      epoch (u64)                              |  0
 * +---------------------------------------------------------------+
 * |                      baseEpoch (u64)                          |  8
 * +---------------------------------------------------------------+
 * |                      pages (u64): pages this epoch carries    | 16
 * +-------------------------------+-------------------------------+
 * |   criticalBytes (u32)         |  takenAtMs (u64) ...          | 24
 * +-------------------------------+-------------------------------+
 * |   ... takenAtMs               |                                 32..36
 * +-------------------------------+
 * </pre>
 */
public record EpochBegin(long epoch, long baseEpoch, long pages, int criticalBytes, long takenAtMs) {
    public static final int BYTES = 36;
    public static final int FLAG_CATCH_UP = 1;

    public ByteBuf encode(ByteBufAllocator alloc, int flags) {
        ByteBuf b = FrameHeader.start(alloc, FrameType.EPOCH_BEGIN, flags, BYTES);
        b.writeLong(epoch).writeLong(baseEpoch).writeLong(pages).writeInt(criticalBytes).writeLong(takenAtMs);
        return FrameHeader.seal(b);
    }

    public static EpochBegin decode(ByteBuf p) {
        Payloads.expectLength(FrameType.EPOCH_BEGIN, p, BYTES);
        return new EpochBegin(p.readLong(), p.readLong(), p.readLong(), p.readInt(), p.readLong());
    }
}
