package io.shadowvm.sync.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static ByteBuf ack(long epoch) {
        return new Ack(epoch, 1234).encode(ByteBufAllocator.DEFAULT);
    }

    @Test
    void shouldEmitNothingUntilAWholeFrameArrivesEvenByteByByte() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1 << 20));
        ByteBuf f = ack(42);
        while (f.isReadable()) {
            assertThat((Object) ch.readInbound()).isNull();
            ch.writeInbound(f.readRetainedSlice(1));
        }
        f.release();
        Frame frame = ch.readInbound();
        assertThat(frame.type()).isEqualTo(FrameType.ACK);
        assertThat(Ack.decode(frame.payload())).isEqualTo(new Ack(42, 1234));
        frame.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void shouldDetectAFlippedPayloadByteByCrcAndDiscardEverythingAfter() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1 << 20));
        ByteBuf f = ack(42);
        f.setByte(FrameHeader.BYTES + 3, f.getByte(FrameHeader.BYTES + 3) ^ 0x10);
        assertThatThrownBy(() -> ch.writeInbound(f))
            .isInstanceOf(DecoderException.class).cause()
            .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("CRC32C mismatch in ACK frame");
        FrameDecoder d = ch.pipeline().get(FrameDecoder.class);
        assertThat(d.isCorrupted()).isTrue();
        ch.writeInbound(ack(43)); // a good frame after corruption is never delivered
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void shouldRefuseAFrameAnnouncing2GiBFromItsHeaderAlone() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4 << 20));
        ByteBuf header = Unpooled.buffer(16).writeInt(FrameHeader.MAGIC).writeByte(1).writeByte(FrameType.PAGE_BATCH.id())
            .writeShort(0).writeInt(0x8000_0000).writeInt(0);
        assertThatThrownBy(() -> ch.writeInbound(header)).cause()
            .isInstanceOf(FrameTooLongException.class)
            .hasMessage("invalid PAGE_BATCH frame length: 2147483648 (expected: 0-4194304)");
        ch.finishAndReleaseAll();
    }

    @Test
    void shouldBoundEachFrameTypeByItsOwnLayout() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4 << 20));
        ByteBuf header = Unpooled.buffer(16).writeInt(FrameHeader.MAGIC).writeByte(1).writeByte(FrameType.ACK.id())
            .writeShort(0).writeInt(17).writeInt(0);
        assertThatThrownBy(() -> ch.writeInbound(header)).cause()
            .isInstanceOf(FrameTooLongException.class).hasMessage("invalid ACK frame length: 17 (expected: 0-16)");
        ch.finishAndReleaseAll();
    }

    @Test
    void shouldNameTheVersionAPeerSpeaks() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4 << 20));
        ByteBuf f = ack(1);
        f.setByte(4, 2);
        assertThatThrownBy(() -> ch.writeInbound(f)).cause()
            .isInstanceOf(UnsupportedVersionException.class)
            .hasMessage("unsupported sync format version: 2 (expected: 1)");
        ch.finishAndReleaseAll();
    }

    @Test
    void shouldRefuseSomethingThatIsNotASyncStream() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4 << 20));
        ByteBuf http = Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", java.nio.charset.StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> ch.writeInbound(http)).cause()
            .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("bad frame magic: 0x47455420");
        ch.finishAndReleaseAll();
    }
}
