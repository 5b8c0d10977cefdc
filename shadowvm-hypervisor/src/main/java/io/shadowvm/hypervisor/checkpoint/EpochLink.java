package io.shadowvm.hypervisor.checkpoint;

import io.shadowvm.hypervisor.HypervisorException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** The primary's end of the epoch stream: sends a frame and waits for the shadow's {@link EpochAck}. */
public final class EpochLink implements AutoCloseable {
    private final SocketChannel channel;
    private final ByteBuffer ackHeader = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    private long bytesSent;

    public EpochLink(InetSocketAddress sink) {
        try {
            channel = SocketChannel.open(sink);
            channel.socket().setTcpNoDelay(true);
        } catch (IOException e) {
            throw new HypervisorException("cannot connect to the shadow's sink at " + sink + ": " + e.getMessage(), e);
        }
    }

    /** Sends {@code frame[0..len)} and blocks for the answer. */
    public EpochAck ship(byte[] frame, int len) {
        try {
            ByteBuffer b = ByteBuffer.wrap(frame, 0, len);
            while (b.hasRemaining()) {
                channel.write(b);
            }
            bytesSent += len;
            ackHeader.clear();
            while (ackHeader.hasRemaining()) {
                if (channel.read(ackHeader) < 0) {
                    throw new HypervisorException("the shadow's sink closed the epoch stream");
                }
            }
            ackHeader.flip();
            int magic = ackHeader.getInt();
            if (magic != EpochAck.MAGIC) {
                throw new CorruptCheckpointException("epoch ack has bad magic 0x" + Integer.toHexString(magic));
            }
            int status = ackHeader.getInt();
            long epoch = ackHeader.getLong();
            int rl = ackHeader.getInt();
            if (rl < 0 || rl > EpochAck.MAX_REASON_BYTES) {
                throw new CorruptCheckpointException("epoch ack reason of " + rl + " bytes (expected: 0-" + EpochAck.MAX_REASON_BYTES + ")");
            }
            ByteBuffer r = ByteBuffer.allocate(rl);
            while (r.hasRemaining()) {
                if (channel.read(r) < 0) {
                    throw new HypervisorException("the shadow's sink closed the epoch stream");
                }
            }
            return new EpochAck(epoch, status == 0, new String(r.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new HypervisorException("epoch stream to the shadow failed: " + e.getMessage(), e);
        }
    }

    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new HypervisorException("cannot close the epoch stream: " + e.getMessage(), e);
        }
    }
}
