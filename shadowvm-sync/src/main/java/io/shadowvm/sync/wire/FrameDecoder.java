package io.shadowvm.sync.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Splits the byte stream into {@link Frame}s (after Netty's {@code LengthFieldBasedFrameDecoder}): nothing is
 * emitted until a whole frame is there; the header is checked (magic, version, type, length against the
 * type's bound and {@code maxFrameLength}) before the payload is awaited, so a frame announcing 2 GiB is
 * refused without allocating; the CRC32C is checked before the frame is passed on. The first violation
 * throws a typed exception and the decoder enters {@code CORRUPTED}: it discards everything after that, and
 * the connection is closed by the handler.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private enum State { HEADER, CORRUPTED }

    private final int maxFrameLength;
    private final CRC32C crc = new CRC32C();
    private State state = State.HEADER;

    public FrameDecoder(int maxFrameLength) {
        if (maxFrameLength < 64) {
            throw new IllegalArgumentException("invalid maxFrameLength: " + maxFrameLength + " (expected: >= 64)");
        }
        this.maxFrameLength = maxFrameLength;
    }

    public boolean isCorrupted() {
        return state == State.CORRUPTED;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            if (state == State.CORRUPTED) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (in.readableBytes() < FrameHeader.BYTES) {
                return;
            }
            int at = in.readerIndex();
            try {
                int magic = in.getInt(at);
                if (magic != FrameHeader.MAGIC) {
                    throw new CorruptedFrameException(String.format(
                        "bad frame magic: 0x%08X (expected: 0x%08X)", magic, FrameHeader.MAGIC));
                }
                int version = in.getUnsignedByte(at + 4);
                if (version != FrameHeader.VERSION) {
                    throw new UnsupportedVersionException(version);
                }
                int typeId = in.getUnsignedByte(at + 5);
                FrameType type = FrameType.byId(typeId);
                if (type == null) {
                    throw new CorruptedFrameException("unknown frame type: " + typeId + " (expected: 1-9)");
                }
                long length = in.getUnsignedInt(at + 8);
                long bound = Math.min(type.maxPayload(), maxFrameLength);
                if (length > bound) {
                    throw new FrameTooLongException(type, length, bound);
                }
                if (in.readableBytes() < FrameHeader.BYTES + length) {
                    return;
                }
                crc.reset();
                FrameHeader.update(crc, in, at, 12);
                FrameHeader.update(crc, in, at + FrameHeader.BYTES, (int) length);
                int expected = in.getInt(at + 12);
                if ((int) crc.getValue() != expected) {
                    throw new CorruptedFrameException(String.format(
                        "CRC32C mismatch in %s frame of %d bytes: computed 0x%08X, frame says 0x%08X",
                        type, length, (int) crc.getValue(), expected));
                }
                int flags = in.getUnsignedShort(at + 6);
                in.skipBytes(FrameHeader.BYTES);
                out.add(new Frame(type, flags, in.readRetainedSlice((int) length)));
            } catch (RuntimeException e) {
                state = State.CORRUPTED;
                in.skipBytes(in.readableBytes());
                throw e;
            }
        }
    }
}
