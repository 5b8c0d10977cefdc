package io.shadowvm.redirect.l7;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.AttributeKey;
import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.BackendStats;
import io.shadowvm.redirect.Transport;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * Idle keep-alive connections to one backend, owned by one event loop (no locking: only that loop touches it).
 */
final class BackendPool {
    static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf("shadowvm.l7.exchange");
    private static final int MAX_IDLE = 256;
    private static final int MAX_RESPONSE_BYTES = 64 << 20;

    private final Backend backend;
    private final BackendStats stats;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();

    BackendPool(EventLoop loop, Backend backend, BackendStats stats, Transport transport, int connectTimeoutMs) {
        this.backend = backend;
        this.stats = stats;
        this.bootstrap = new Bootstrap().group(loop).channel(transport.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
            .handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES),
                        new ResponseHandler());
                }
            });
    }

    /** An idle pooled connection, or null when none is left. */
    Channel pollIdle() {
        Channel ch;
        while ((ch = idle.pollLast()) != null) {
            if (ch.isActive()) {
                return ch;
            }
        }
        return null;
    }

    ChannelFuture connect() {
        return bootstrap.connect(backend.address());
    }

    void release(Channel ch) {
        ch.attr(EXCHANGE).set(null);
        if (ch.isActive() && idle.size() < MAX_IDLE) {
            idle.addLast(ch);
        } else {
            ch.close();
        }
    }

    void closeAll() {
        for (Channel ch : idle) {
            ch.close();
        }
        idle.clear();
    }

    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        ResponseHandler() {
            super(false);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            stats.opened();
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Exchange ex = ctx.channel().attr(EXCHANGE).getAndSet(null);
            if (ex == null) {
                response.release(); // nobody asked: the backend is confused; drop the connection
                ctx.close();
                return;
            }
            ex.onResponse(response);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            stats.closed();
            idle.remove(ctx.channel());
            Exchange ex = ctx.channel().attr(EXCHANGE).getAndSet(null);
            if (ex != null) {
                ex.onFailure(new ClosedChannelException());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Exchange ex = ctx.channel().attr(EXCHANGE).getAndSet(null);
            ctx.close();
            if (ex != null) {
                ex.onFailure(cause);
            }
        }
    }
}
