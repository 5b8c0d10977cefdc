package io.shadowvm.sync.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * CRITICAL (type 5), source → sink: one chunk of the epoch's critical-state blob (e.g. QEMU device state),
 * sent before any page. Chunks arrive in order; {@code offset} must equal the bytes received so far.
 *
 * <pre>
 * +-------------------------------+-------------------------------+
 * |        offset (u32)           |  data (1 byte - 1 MiB) ...    |
 * +-------------------------------+-------------------------------+
 * </pre>
 */
public final class Critical {
    public static final int HEADER_BYTES = 4;
    public static final int MAX_CHUNK_BYTES = 1 << 20;

    private Critical() {
    }

    public static ByteBuf encode(ByteBufAllocator alloc, int offset, byte[] data, int from, int len) {
        ByteBuf b = FrameHeader.start(alloc, FrameType.CRITICAL, 0, HEADER_BYTES + len);
        b.writeInt(offset).writeBytes(data, from, len);
        return FrameHeader.seal(b);
    }
}
