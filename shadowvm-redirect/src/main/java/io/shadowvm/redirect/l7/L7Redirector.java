package io.shadowvm.redirect.l7;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.shadowvm.redirect.route.RoutedDataPlane;
import io.shadowvm.redirect.route.RoutingControl;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The L7 HTTP redirector (see the package description). */
public final class L7Redirector implements RoutedDataPlane {
    private final L7Config config;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final RoutingControl control;
    private final Channel server;
    private final int primaryIndex;
    private final Map<EventLoop, BackendPool[]> pools = new ConcurrentHashMap<>();

    private L7Redirector(L7Config config) {
        this.config = config;
        this.boss = config.transport().newGroup(1, "redirect-l7-accept");
        this.workers = config.transport().newGroup(config.ioThreads(), "redirect-l7-io");
        RoutingControl rc = null;
        try {
            rc = new RoutingControl(config.backends(), config.weights(), config.outlier(), config.clock(), workers,
                config.transport());
            this.control = rc;
            this.primaryIndex = rc.names().indexOf(config.primary());
            HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxInitialLineBytes())
                .setMaxHeaderSize(config.maxHeaderBytes());
            this.server = new ServerBootstrap().group(boss, workers)
                .channel(config.transport().serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RequestDeadline deadline = new RequestDeadline(config.requestTimeoutMs(),
                            config.idleTimeoutMs());
                        ch.pipeline().addLast(deadline, new HttpServerCodec(decoder),
                            new HttpObjectAggregator(config.maxBodyBytes()),
                            new Frontend(L7Redirector.this, deadline, poolsOf(ch.eventLoop())));
                    }
                })
                .bind(config.listen()).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            throw RoutedDataPlane.startFailed(config.listen(), e, rc, boss, workers);
        }
    }

    public static L7Redirector start(L7Config config) {
        return new L7Redirector(config);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    L7Config config() {
        return config;
    }

    @Override
    public RoutingControl control() {
        return control;
    }

    int primaryIndex() {
        return primaryIndex;
    }

    List<String> names() {
        return control.names();
    }

    /** Whether a request may go to a shadow: a safe method, or a path under a safe prefix. */
    boolean isSafe(HttpRequest req) {
        if (config.safeMethods().contains(req.method().name())) {
            return true;
        }
        String uri = req.uri();
        for (String prefix : config.safePathPrefixes()) {
            if (uri.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private BackendPool[] poolsOf(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> {
            BackendPool[] p = new BackendPool[config.backends().size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = new BackendPool(l, config.backends().get(i), control.stats(i), config.transport(),
                    config.connectTimeoutMs());
            }
            return p;
        });
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        for (Map.Entry<EventLoop, BackendPool[]> e : pools.entrySet()) {
            e.getKey().execute(() -> {
                for (BackendPool p : e.getValue()) {
                    p.closeAll();
                }
            });
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        control.close();
    }
}
