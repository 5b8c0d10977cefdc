package io.shadowvm.redirect.l4;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.shadowvm.redirect.BackendStats;
import io.shadowvm.redirect.maglev.MaglevTable;
import io.shadowvm.redirect.route.Routing;
import io.shadowvm.redirect.route.RoutingControl;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One proxied connection: the client side ({@code inbound}) and the backend side ({@code outbound}), both on the
 * inbound channel's event loop, so none of this state is shared between threads.
 */
final class Relay {
    private final L4Redirector owner;
    private final RoutingControl control;
    private final Channel inbound;
    private Channel outbound;
    private int backend = -1;
    private long triedMask;
    private BackendStats stats;
    private boolean inboundEof;
    private boolean outboundEof;
    private boolean closed;
    private ArrayDeque<Object> early; // bytes the client sent before the backend connection was up (rare)

    /** Reused listeners: after a write succeeds, read the next chunk from the side it came from. */
    private final ChannelFutureListener readInboundAfterWrite = f -> afterWrite(f, true);
    private final ChannelFutureListener readOutboundAfterWrite = f -> afterWrite(f, false);

    Relay(L4Redirector owner, Channel inbound) {
        this.owner = owner;
        this.control = owner.control();
        this.inbound = inbound;
    }

    ChannelInboundHandlerAdapter inboundHandler() {
        return new Side(true);
    }

    void start() {
        Routing r = control.routing();
        long key = 0;
        if (owner.config().affinity() && inbound.remoteAddress() instanceof InetSocketAddress a) {
            key = MaglevTable.hash(a.getAddress().getAddress(), 0);
        }
        connect(r, control.pick(r, owner.config().affinity(), key));
    }

    private void connect(Routing r, int index) {
        backend = index;
        if (index < 64) {
            triedMask |= 1L << index;
        }
        Bootstrap b = new Bootstrap().group(inbound.eventLoop()).channel(owner.config().transport().socketChannel())
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, owner.config().connectTimeoutMs())
            .handler(new Side(false));
        if (owner.splicing()) {
            b.option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
        }
        ChannelFuture f = b.connect(r.backends().get(index).address());
        outbound = f.channel();
        f.addListener(done -> {
            if (done.isSuccess()) {
                control.reportSuccess(index);
                stats = control.stats(index);
                stats.opened();
                if (closed) {
                    outbound.close();
                    return;
                }
                flushEarly();
                pump();
            } else {
                control.reportFailure(index);
                if (closed) {
                    return;
                }
                Routing now = control.routing();
                int next = control.pickRetry(now, triedMask);
                if (next < 0) {
                    closeBoth();
                } else {
                    connect(now, next);
                }
            }
        });
    }

    private void pump() {
        if (owner.splicing()) {
            inbound.config().setAutoRead(true);
            outbound.config().setAutoRead(true);
            ((AbstractEpollStreamChannel) inbound).spliceTo((AbstractEpollStreamChannel) outbound, Integer.MAX_VALUE);
            ((AbstractEpollStreamChannel) outbound).spliceTo((AbstractEpollStreamChannel) inbound, Integer.MAX_VALUE);
        } else {
            readMore(inbound);
            readMore(outbound);
        }
    }

    /**
     * Asks {@code ch} for its next chunk unless its input already ended: the client may send its request and
     * half-close before the backend connection is up (busybox nc, {@code curl -T}), and reading a channel whose
     * input is shut down fails under epoll, which closed the connection before the backend could answer.
     */
    private static void readMore(Channel ch) {
        if (!(ch instanceof DuplexChannel d) || !d.isInputShutdown()) {
            ch.read();
        }
    }

    private void flushEarly() {
        if (early == null) {
            return;
        }
        while (!early.isEmpty()) {
            Object m = early.poll();
            if (m == ChannelInputShutdownEvent.INSTANCE) {
                onInputShutdown(true);
            } else {
                stats.bytes(((ByteBuf) m).readableBytes());
                outbound.write(m);
            }
        }
        outbound.flush();
        early = null;
    }

    private void afterWrite(ChannelFuture f, boolean readInbound) {
        if (f.isSuccess()) {
            readMore(readInbound ? inbound : outbound);
        } else {
            closeBoth();
        }
    }

    private void onRead(boolean fromInbound, Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (fromInbound && (stats == null || !outbound.isActive())) {
            if (early == null) {
                early = new ArrayDeque<>(2);
            }
            early.add(msg);
            return;
        }
        ByteBuf buf = (ByteBuf) msg;
        stats.bytes(buf.readableBytes());
        Channel to = fromInbound ? outbound : inbound;
        to.writeAndFlush(buf).addListener(fromInbound ? readInboundAfterWrite : readOutboundAfterWrite);
    }

    private void onInputShutdown(boolean fromInbound) {
        if (fromInbound && (stats == null || !outbound.isActive())) {
            if (early == null) {
                early = new ArrayDeque<>(2);
            }
            early.add(ChannelInputShutdownEvent.INSTANCE);
            return;
        }
        if (fromInbound) {
            inboundEof = true;
        } else {
            outboundEof = true;
        }
        Channel to = fromInbound ? outbound : inbound;
        // Queue behind pending writes (and splices): shutdownOutput itself would drop them.
        to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (inboundEof && outboundEof) {
                closeBoth();
            } else if (to.isActive()) {
                ((DuplexChannel) to).shutdownOutput();
                // Its output is done: when its input ends too, Netty should just close it. (With half-closure on,
                // Netty would first shutdown(SHUT_RD) a socket that is already closed and pay for an exception.)
                to.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
            }
        });
    }

    private void onInactive(boolean inboundSide) {
        if (!inboundSide && stats != null) {
            stats.closed();
        }
        Channel other = inboundSide ? outbound : inbound;
        if (other != null && other.isActive()) {
            other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        if (inboundSide) {
            closed = true;
            if (early != null) { // the client left before the backend answered the connect
                for (Object m : early) {
                    ReferenceCountUtil.release(m);
                }
                early = null;
            }
        }
    }

    private void closeBoth() {
        closed = true;
        inbound.close();
        if (outbound != null) {
            outbound.close();
        }
    }

    /** The handler of one side; not sharable (each knows its side). */
    private final class Side extends ChannelInboundHandlerAdapter {
        private final boolean inboundSide;
        private boolean inactiveSeen;

        Side(boolean inboundSide) {
            this.inboundSide = inboundSide;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (inboundSide) {
                start();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            onRead(inboundSide, msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                onInputShutdown(inboundSide);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!inactiveSeen) {
                inactiveSeen = true;
                onInactive(inboundSide);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A reset or a failed write: close this side; channelInactive then closes the other after a flush.
            ctx.close();
        }
    }
}
