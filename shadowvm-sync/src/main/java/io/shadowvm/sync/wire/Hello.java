package io.shadowvm.sync.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * HELLO (type 1), source → sink, first frame of a connection.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                    streamId (u64): random per source run      |  0
 * +---------------------------------------------------------------+
 * |                    regionBytes (u64)                          |  8
 * +-------------------------------+-------------------------------+
 * |        pageSize (u32)         |     features (u32): bit 0 VERIFY |  16
 * +-------------------------------+-------------------------------+
 * </pre>
 */
public record Hello(long streamId, long regionBytes, int pageSize, int features) {
    public static final int BYTES = 24;
    public static final int FEATURE_VERIFY = 1;

    public ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf b = FrameHeader.start(alloc, FrameType.HELLO, 0, BYTES);
        b.writeLong(streamId).writeLong(regionBytes).writeInt(pageSize).writeInt(features);
        return FrameHeader.seal(b);
    }

    public static Hello decode(ByteBuf p) {
        Payloads.expectLength(FrameType.HELLO, p, BYTES);
        return new Hello(p.readLong(), p.readLong(), p.readInt(), p.readInt());
    }
}
