package io.shadowvm.sync.wire;

import io.netty.buffer.ByteBuf;

/**
 * A decoded frame whose CRC matched: its type, flags and payload (a retained slice the receiver must
 * release).
 */
public record Frame(FrameType type, int flags, ByteBuf payload) {
    public void release() {
        payload.release();
    }
}
