package io.shadowvm.sync.wire;

import io.netty.buffer.ByteBuf;

final class Payloads {
    private Payloads() {
    }

    static void expectLength(FrameType type, ByteBuf payload, int expected) {
        if (payload.readableBytes() != expected) {
            throw new CorruptedFrameException("invalid " + type + " payload length: " + payload.readableBytes()
                + " (expected: " + expected + ")");
        }
    }
}
