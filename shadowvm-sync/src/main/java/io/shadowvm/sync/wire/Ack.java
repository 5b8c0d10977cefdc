package io.shadowvm.sync.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * ACK (type 8), sink → source, sent after the epoch is applied (and durable when the sink is durable).
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                      epoch (u64)                              |  0
 * +---------------------------------------------------------------+
 * |                      appliedAtMs (u64, sink wall clock)       |  8
 * +---------------------------------------------------------------+
 * </pre>
 */
public record Ack(long epoch, long appliedAtMs) {
    public static final int BYTES = 16;

    public ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf b = FrameHeader.start(alloc, FrameType.ACK, 0, BYTES);
        b.writeLong(epoch).writeLong(appliedAtMs);
        return FrameHeader.seal(b);
    }

    public static Ack decode(ByteBuf p) {
        Payloads.expectLength(FrameType.ACK, p, BYTES);
        return new Ack(p.readLong(), p.readLong());
    }
}
