package io.shadowvm.bench.redirect;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.shadowvm.redirect.Transport;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load generator on Netty: {@code concurrency} clients, each starting its next operation as soon
 * as the previous one ended. Latency per operation in microseconds (closed loop: no coordinated-omission
 * correction applies; the figure is service time under this concurrency).
 */
final class LoadGen implements AutoCloseable {
    /** What one operation is. */
    enum Kind {
        /** connect, send 32 bytes, read 32 back, close: L4 connections per second */
        SHORT_TCP,
        /** connect, read until the backend closes: bulk throughput */
        BULK,
        /** one GET over a kept-alive connection: L7 requests per second */
        HTTP
    }

    /** One run's figures. */
    record Result(long ops, long bytes, long errors, double seconds, long p50Us, long p99Us) {
        double opsPerSecond() {
            return ops / seconds;
        }

        double mibPerSecond() {
            return bytes / seconds / (1 << 20);
        }
    }

    private static final ByteBuf PAYLOAD = Unpooled.unreleasableBuffer(Unpooled.directBuffer(32).writeZero(32));
    private final Transport transport = Transport.best();
    private final EventLoopGroup group;

    LoadGen(int threads) {
        group = transport.newGroup(threads, "bench-load");
    }

    Result run(Kind kind, InetSocketAddress target, int concurrency, double warmupSeconds, double seconds)
        throws InterruptedException {
        Run r = new Run(kind, target);
        r.running = true;
        for (int i = 0; i < concurrency; i++) {
            r.start();
        }
        Thread.sleep((long) (warmupSeconds * 1000));
        r.recorder.reset();
        r.ops.set(0);
        r.bytes.set(0);
        r.errors.set(0);
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        long ops = r.ops.get();
        long bytes = r.bytes.get();
        long errors = r.errors.get();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        var h = r.recorder.getIntervalHistogram();
        r.running = false;
        r.stopped.await(30, TimeUnit.SECONDS);
        return new Result(ops, bytes, errors, elapsed, h.getValueAtPercentile(50), h.getValueAtPercentile(99));
    }

    private final class Run {
        final Kind kind;
        final InetSocketAddress target;
        final Recorder recorder = new Recorder(3_600_000_000L, 3);
        final AtomicLong ops = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong live = new AtomicLong();
        final CountDownLatch stopped = new CountDownLatch(1);
        volatile boolean running;
        final Bootstrap bootstrap;

        Run(Kind kind, InetSocketAddress target) {
            this.kind = kind;
            this.target = target;
            this.bootstrap = new Bootstrap().group(group).channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        switch (kind) {
                            case SHORT_TCP -> ch.pipeline().addLast(new ShortTcp());
                            case BULK -> ch.pipeline().addLast(new Bulk());
                            case HTTP -> ch.pipeline().addLast(new HttpClientCodec(),
                                new HttpObjectAggregator(1 << 20), new Http());
                            default -> throw new IllegalStateException();
                        }
                    }
                });
        }

        void start() {
            live.incrementAndGet();
            long t0 = System.nanoTime();
            io.netty.channel.ChannelFuture cf = bootstrap.connect(target);
            cf.channel().attr(Attr.START).set(t0);
            cf.addListener(f -> {
                if (!f.isSuccess()) {
                    errors.incrementAndGet();
                    done();
                }
            });
        }

        void done() {
            if (running) {
                start();
            }
            if (live.decrementAndGet() == 0 && !running) {
                stopped.countDown();
            }
        }

        void record(long startNs) {
            recorder.recordValue(Math.max(1, (System.nanoTime() - startNs) / 1000));
            ops.incrementAndGet();
        }

        final class ShortTcp extends ChannelInboundHandlerAdapter {
            int got;
            boolean ok;

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(PAYLOAD.retainedDuplicate());
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                got += ((ByteBuf) msg).readableBytes();
                ReferenceCountUtil.release(msg);
                if (got >= 32 && !ok) {
                    ok = true;
                    Long t0 = ctx.channel().attr(Attr.START).get();
                    record(t0 == null ? System.nanoTime() : t0);
                    ctx.close();
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (!ok) {
                    errors.incrementAndGet();
                }
                done();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }

        final class Bulk extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                bytes.addAndGet(((ByteBuf) msg).readableBytes());
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                Long t0 = ctx.channel().attr(Attr.START).get();
                record(t0 == null ? System.nanoTime() : t0);
                done();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.incrementAndGet();
                ctx.close();
            }
        }

        final class Http extends SimpleChannelInboundHandler<FullHttpResponse> {
            long sentNs;

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                send(ctx);
            }

            private void send(ChannelHandlerContext ctx) {
                FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/item");
                req.headers().set(HttpHeaderNames.HOST, "bench");
                sentNs = System.nanoTime();
                ctx.writeAndFlush(req);
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                if (r.status().code() == 200) {
                    record(sentNs);
                } else {
                    errors.incrementAndGet();
                }
                if (running) {
                    send(ctx);
                } else {
                    ctx.close();
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (running) {
                    errors.incrementAndGet(); // the server closed a kept-alive connection
                }
                done();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }
    }

    /** Channel attributes. */
    static final class Attr {
        static final io.netty.util.AttributeKey<Long> START = io.netty.util.AttributeKey.valueOf("bench.start");

        private Attr() {
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully().syncUninterruptibly();
    }
}
