package io.shadowvm.sync.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * RESUME (type 2), sink → source, the answer to HELLO: the stream and epoch the replica holds. When the
 * replica belongs to another stream (or to none), {@code hashPages} = the region's page count and that many
 * page hashes follow in PAGE_HASHES frames; otherwise 0 and the source resumes from {@code appliedEpoch}.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |          replicaStreamId (u64): 0 = none                      |  0
 * +---------------------------------------------------------------+
 * |          appliedEpoch (u64): 0 = none                         |  8
 * +---------------------------------------------------------------+
 * |          regionBytes (u64) of the replica                     | 16
 * +---------------------------------------------------------------+
 * |          hashPages (u64): page hashes that follow             | 24
 * +---------------------------------------------------------------+
 * </pre>
 */
public record Resume(long replicaStreamId, long appliedEpoch, long regionBytes, long hashPages) {
    public static final int BYTES = 32;

    public ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf b = FrameHeader.start(alloc, FrameType.RESUME, 0, BYTES);
        b.writeLong(replicaStreamId).writeLong(appliedEpoch).writeLong(regionBytes).writeLong(hashPages);
        return FrameHeader.seal(b);
    }

    public static Resume decode(ByteBuf p) {
        Payloads.expectLength(FrameType.RESUME, p, BYTES);
        return new Resume(p.readLong(), p.readLong(), p.readLong(), p.readLong());
    }
}
