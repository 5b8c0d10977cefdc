package io.shadowvm.sync.source;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderException;
import io.shadowvm.sync.region.MemoryRegion;
import io.shadowvm.sync.wire.Ack;
import io.shadowvm.sync.wire.ErrorCode;
import io.shadowvm.sync.wire.ErrorMessage;
import io.shadowvm.sync.wire.Frame;
import io.shadowvm.sync.wire.FrameDecoder;
import io.shadowvm.sync.wire.FrameHeader;
import io.shadowvm.sync.wire.Hello;
import io.shadowvm.sync.wire.PageHashes;
import io.shadowvm.sync.wire.ProtocolException;
import io.shadowvm.sync.wire.Resume;
import io.shadowvm.sync.wire.Transport;
import io.shadowvm.sync.wire.UnsupportedVersionException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * One shadow as the source sees it. Fields are owned by the {@link SenderAgent}; the inner {@link Handler}
 * runs on the connection's event loop and only posts {@link SessionEvent}s.
 *
 * <pre>
 *  CONNECTING --connected--> HANDSHAKE --RESUME (+hashes)--> READY --next epoch taken--> CATCHING_UP
 *  CATCHING_UP --catch-up sent, no newer shared epoch started--> LIVE (joins every shared epoch from joinEpoch)
 *  CATCHING_UP --a newer shared epoch already started--> READY (catches up again from there)
 *  any --disconnect--> CONNECTING (after the reconnect delay); --version/size refusal--> FAILED
 * </pre>
 */
public final class ShadowSession {
    /** The lifecycle; {@link #canMoveTo} is the one place that says which transitions exist. */
    public enum State {
        CONNECTING, HANDSHAKE, READY, CATCHING_UP, LIVE, FAILED;

        public boolean canMoveTo(State next) {
            if (this == FAILED) {
                return false;
            }
            if (next == CONNECTING || next == FAILED) {
                return true; // a connection can be lost, or the stream refused, in any live state
            }
            return switch (this) {
                case CONNECTING -> next == HANDSHAKE;
                case HANDSHAKE -> next == READY;
                case READY -> next == CATCHING_UP;
                case CATCHING_UP -> next == LIVE || next == READY || next == CATCHING_UP;
                default -> false;
            };
        }
    }

    /** What a connection tells the agent. */
    public sealed interface SessionEvent permits Connected, Resumed, Acked, Rejected, Disconnected {
        ShadowSession session();

        int generation();
    }

    public record Connected(ShadowSession session, int generation, Channel channel) implements SessionEvent { }

    public record Resumed(ShadowSession session, int generation, Resume resume, long[] hashes) implements SessionEvent { }

    public record Acked(ShadowSession session, int generation, long epoch, long appliedAtMs) implements SessionEvent { }

    public record Rejected(ShadowSession session, int generation, ErrorCode code, String message) implements SessionEvent { }

    public record Disconnected(ShadowSession session, int generation, Throwable cause) implements SessionEvent { }

    final InetSocketAddress address;
    final String name;
    State state = State.CONNECTING;
    int generation;
    Channel channel;
    /** The epoch the sink holds (its RESUME), the base its next catch-up epoch declares. */
    long sinkApplied;
    /** Pages changed after this epoch are what the shadow lacks (when it resumes this stream). */
    long diffBase;
    /** The sink's page hashes (when it holds another stream): pages whose hash differs are what it lacks. */
    long[] sinkHashes;
    long catchUpEpoch;
    long joinEpoch = Long.MAX_VALUE;
    long ackedEpoch;
    long ackedAtNs;
    long lagMs;
    long blockedSinceNs;
    String closeReason;
    String lastError;

    ShadowSession(InetSocketAddress address) {
        this.address = address;
        this.name = address.getHostString() + ":" + address.getPort();
    }

    public String name() {
        return name;
    }

    void moveTo(State next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("shadow " + name + ": transition " + state + " -> " + next
                + " is not allowed");
        }
        state = next;
    }

    public State state() {
        return state;
    }

    public long ackedEpoch() {
        return ackedEpoch;
    }

    /** The event-loop side of a connection. */
    /**
     * Starts a new connection attempt (a new generation: events of older attempts are ignored). Its outcome
     * arrives through {@code post} as {@link SessionEvent}s, on the agent's thread.
     */
    void connect(EventLoopGroup group, Transport transport, int maxFrameLength, long outboundHighWater, Hello hello,
                 MemoryRegion region, Consumer<SessionEvent> post) {
        int gen = ++generation;
        new Bootstrap().group(group).channel(transport.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.IP_TOS, FrameHeader.IP_TOS)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, (int) outboundHighWater))
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new FrameDecoder(maxFrameLength), new Handler(ShadowSession.this, gen, hello,
                        region, post));
                }
            })
            .connect(address)
            .addListener(r -> {
                if (!r.isSuccess()) {
                    post.accept(new Disconnected(this, gen, r.cause()));
                }
            });
    }

    static final class Handler extends ChannelInboundHandlerAdapter {
        private final ShadowSession session;
        private final int generation;
        private final Hello hello;
        private final long pageCount;
        private final Consumer<SessionEvent> post;
        private Resume resume;
        private long[] hashes;
        private long hashesReceived;
        private boolean done;

        Handler(ShadowSession session, int generation, Hello hello, MemoryRegion region, Consumer<SessionEvent> post) {
            this.session = session;
            this.generation = generation;
            this.hello = hello;
            this.pageCount = region.pageCount();
            this.post = post;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            post.accept(new Connected(session, generation, ctx.channel()));
            ctx.writeAndFlush(hello.encode(ctx.alloc()));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Frame f = (Frame) msg;
            try {
                switch (f.type()) {
                    case RESUME -> {
                        if (resume != null) {
                            throw new ProtocolException("second RESUME frame");
                        }
                        resume = Resume.decode(f.payload());
                        if (resume.hashPages() != 0 && resume.hashPages() != pageCount) {
                            throw new ProtocolException("RESUME announces " + resume.hashPages()
                                + " page hashes (expected: 0 or " + pageCount + ")");
                        }
                        if (resume.hashPages() == 0) {
                            post.accept(new Resumed(session, generation, resume, null));
                        } else {
                            hashes = new long[(int) pageCount];
                        }
                    }
                    case PAGE_HASHES -> {
                        if (hashes == null) {
                            throw new ProtocolException("PAGE_HASHES frame without a RESUME announcing them");
                        }
                        hashesReceived += PageHashes.decodeInto(f.payload(), hashes);
                        if (hashesReceived == pageCount) {
                            post.accept(new Resumed(session, generation, resume, hashes));
                            hashes = null;
                        }
                    }
                    case ACK -> {
                        Ack a = Ack.decode(f.payload());
                        post.accept(new Acked(session, generation, a.epoch(), a.appliedAtMs()));
                    }
                    case ERROR -> {
                        ErrorMessage m = ErrorMessage.decode(f.payload());
                        done = true;
                        post.accept(new Rejected(session, generation, m.code(), m.message()));
                        ctx.close();
                    }
                    default -> throw new ProtocolException("unexpected " + f.type() + " frame from a sink");
                }
            } finally {
                f.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (!done) {
                done = true;
                if (c instanceof UnsupportedVersionException) {
                    post.accept(new Rejected(session, generation, ErrorCode.VERSION_MISMATCH, c.getMessage()));
                } else {
                    post.accept(new Disconnected(session, generation, c));
                }
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!done) {
                done = true;
                post.accept(new Disconnected(session, generation, null));
            }
        }
    }
}
