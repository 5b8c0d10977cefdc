package io.shadowvm.bench.redirect;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.shadowvm.redirect.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** The benchmark's backends, in the benchmark's JVM: echo (short TCP), source (bulk), and HTTP. */
final class BenchBackends implements AutoCloseable {
    static final int BULK_CHUNK = 64 * 1024;
    private final Transport transport = Transport.best();
    private final EventLoopGroup group;
    private final List<Channel> servers = new ArrayList<>();
    private final ByteBuf chunk = Unpooled.unreleasableBuffer(Unpooled.directBuffer(BULK_CHUNK).writeZero(BULK_CHUNK));
    private final ByteBuf httpBody = Unpooled.unreleasableBuffer(Unpooled.directBuffer(128).writeZero(128));

    BenchBackends(int threads) {
        group = transport.newGroup(threads, "bench-backend");
    }

    /** Echoes whatever arrives. */
    InetSocketAddress echo() {
        return bind(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ctx.writeAndFlush(msg);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }
                });
            }
        });
    }

    /** Sends {@code bytes} zero bytes to every connection (respecting writability), then closes. */
    InetSocketAddress source(long bytes) {
        return bind(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    long remaining = bytes;

                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        more(ctx);
                    }

                    @Override
                    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                        more(ctx);
                    }

                    private void more(ChannelHandlerContext ctx) {
                        while (remaining > 0 && ctx.channel().isWritable()) {
                            int n = (int) Math.min(BULK_CHUNK, remaining);
                            ctx.write(chunk.retainedSlice(0, n));
                            remaining -= n;
                        }
                        if (remaining == 0) {
                            remaining = -1;
                            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                        } else {
                            ctx.flush();
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }
                });
            }
        });
    }

    /** Answers every request with 128 bytes, keep-alive. */
    InetSocketAddress http() {
        return bind(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                    new SimpleChannelInboundHandler<FullHttpRequest>() {
                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            ctx.close(); // a client that resets at the end of a run
                        }

                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                HttpResponseStatus.OK, httpBody.retainedDuplicate());
                            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 128);
                            boolean keepAlive = HttpUtil.isKeepAlive(req);
                            HttpUtil.setKeepAlive(r, keepAlive);
                            var f = ctx.writeAndFlush(r);
                            if (!keepAlive) {
                                f.addListener(ChannelFutureListener.CLOSE);
                            }
                        }
                    });
            }
        });
    }

    private InetSocketAddress bind(ChannelInitializer<SocketChannel> init) {
        Channel ch = new ServerBootstrap().group(group).channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(init)
            .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        servers.add(ch);
        return (InetSocketAddress) ch.localAddress();
    }

    @Override
    public void close() {
        for (Channel c : servers) {
            c.close().syncUninterruptibly();
        }
        group.shutdownGracefully().syncUninterruptibly();
    }
}
