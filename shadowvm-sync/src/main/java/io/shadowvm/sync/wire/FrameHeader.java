package io.shadowvm.sync.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The frame header, common to every format version (so a peer can always tell which version it got):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                  magic 0x53564D53 ("SVMS")                    |  0
 * +---------------+---------------+-------------------------------+
 * |    version    |     type      |             flags             |  4
 * +---------------+---------------+-------------------------------+
 * |                payload length (u32, big-endian)               |  8
 * +---------------------------------------------------------------+
 * |       CRC32C of header bytes 0-11 followed by the payload     | 12
 * +---------------------------------------------------------------+
 * |                        payload ...                            | 16
 * </pre>
 *
 * All integers are big-endian. Writers build a frame with {@link #start} (header space reserved), write the
 * payload, then {@link #seal} fills in length and CRC.
 */
public final class FrameHeader {
    /**
     * The IP type-of-service byte of every sync connection, both ways: 0x10, "minimize delay" (DSCP 4), which
     * Linux's default priority map puts in the interactive band. A bottleneck queue that honours it (a
     * pfifo_fast or prio band on a routed hop, a switch's QoS class) sends replication ahead of bulk traffic
     * instead of letting a shadow fall behind whenever its primary's uplink is congested.
     */
    public static final int IP_TOS = 0x10;

    public static final int MAGIC = 0x53564D53;
    public static final int VERSION = 1;
    public static final int BYTES = 16;
    /** Default bound of a frame's payload: a batch of 256 pages fits with room to spare. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 4 << 20;

    private FrameHeader() {
    }

    /** A buffer holding a header for {@code type}; write the payload after it, then {@link #seal}. */
    public static ByteBuf start(ByteBufAllocator alloc, FrameType type, int flags, int payloadHint) {
        ByteBuf b = alloc.buffer(BYTES + payloadHint);
        b.writeInt(MAGIC).writeByte(VERSION).writeByte(type.id()).writeShort(flags).writeInt(0).writeInt(0);
        return b;
    }

    /** Fills in the payload length and CRC32C of a frame built with {@link #start}. */
    public static ByteBuf seal(ByteBuf frame) {
        int start = frame.readerIndex();
        frame.setInt(start + 8, frame.writerIndex() - start - BYTES);
        CRC32C crc = new CRC32C();
        update(crc, frame, start, 12);
        update(crc, frame, start + BYTES, frame.writerIndex() - start - BYTES);
        frame.setInt(start + 12, (int) crc.getValue());
        return frame;
    }

    static void update(CRC32C crc, ByteBuf b, int index, int length) {
        if (length == 0) {
            return;
        }
        if (b.nioBufferCount() == 1) {
            crc.update(b.nioBuffer(index, length));
        } else {
            for (ByteBuffer bb : b.nioBuffers(index, length)) {
                crc.update(bb);
            }
        }
    }
}
