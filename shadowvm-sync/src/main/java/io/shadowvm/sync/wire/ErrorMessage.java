package io.shadowvm.sync.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * ERROR (type 9), either way: why the sender refuses the stream; it closes the connection afterwards. The
 * layout is the same in every format version, so a version mismatch can still be reported.
 *
 * <pre>
 * +-------------------------------+-------------------------------+
 * |        code (u16)             |   messageLength (u16)         |  0
 * +-------------------------------+-------------------------------+
 * |        message (UTF-8, 0-1024 bytes) ...                      |  4
 * +---------------------------------------------------------------+
 * </pre>
 */
public record ErrorMessage(ErrorCode code, String message) {
    public static final int MAX_MESSAGE_BYTES = 1024;
    public static final int MAX_BYTES = 4 + MAX_MESSAGE_BYTES;

    public ByteBuf encode(ByteBufAllocator alloc) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(m.length, MAX_MESSAGE_BYTES);
        ByteBuf b = FrameHeader.start(alloc, FrameType.ERROR, 0, 4 + len);
        b.writeShort(code.id()).writeShort(len).writeBytes(m, 0, len);
        return FrameHeader.seal(b);
    }

    public static ErrorMessage decode(ByteBuf p) {
        if (p.readableBytes() < 4) {
            throw new CorruptedFrameException("invalid ERROR payload length: " + p.readableBytes() + " (expected: >= 4)");
        }
        ErrorCode code = ErrorCode.byId(p.readUnsignedShort());
        int len = p.readUnsignedShort();
        if (len != p.readableBytes()) {
            throw new CorruptedFrameException("invalid ERROR message length: " + len + " (expected: " + p.readableBytes() + ")");
        }
        return new ErrorMessage(code, p.readCharSequence(len, StandardCharsets.UTF_8).toString());
    }
}
