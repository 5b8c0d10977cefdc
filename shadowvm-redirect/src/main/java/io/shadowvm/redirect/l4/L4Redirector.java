package io.shadowvm.redirect.l4;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.socket.SocketChannel;
import io.shadowvm.redirect.Transport;
import io.shadowvm.redirect.route.RoutedDataPlane;
import io.shadowvm.redirect.route.RoutingControl;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The L4 TCP redirector (see the package description). Start with {@link #start}, change weights with
 * {@link #setWeights} from any thread, stop with {@link #close}.
 */
public final class L4Redirector implements RoutedDataPlane {
    private final L4Config config;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final RoutingControl control;
    private final List<Channel> servers;
    private final boolean splicing;

    private L4Redirector(L4Config config) {
        this.config = config;
        this.splicing = config.splice() && config.transport().supportsSplice();
        this.boss = config.transport() == Transport.EPOLL ? null
            : config.transport().newGroup(1, "redirect-l4-accept");
        this.workers = config.transport().newGroup(config.ioThreads(), "redirect-l4-io");
        RoutingControl rc = null;
        try {
            rc = new RoutingControl(config.backends(), config.weights(), config.outlier(), config.clock(), workers,
                config.transport());
            this.control = rc;
            this.servers = bind();
        } catch (RuntimeException e) {
            throw RoutedDataPlane.startFailed(config.listen(), e, rc, boss, workers);
        }
    }

    /**
     * With epoll: one listening socket per event loop (SO_REUSEPORT), each accepting onto its own loop, so a new
     * connection never hops threads; otherwise one acceptor handing connections to the workers.
     */
    private List<Channel> bind() {
        List<Channel> bound = new ArrayList<>();
        if (config.transport() == Transport.EPOLL) {
            InetSocketAddress at = config.listen();
            for (EventExecutor e : workers) {
                EventLoop loop = (EventLoop) e;
                Channel ch = serverBootstrap(loop, loop).option(EpollChannelOption.SO_REUSEPORT, true)
                    .bind(at).syncUninterruptibly().channel();
                bound.add(ch);
                at = (InetSocketAddress) ch.localAddress(); // the rest join the port the first one got
            }
        } else {
            bound.add(serverBootstrap(boss, workers).bind(config.listen()).syncUninterruptibly().channel());
        }
        return bound;
    }

    private ServerBootstrap serverBootstrap(EventLoopGroup parent, EventLoopGroup child) {
        ServerBootstrap b = new ServerBootstrap().group(parent, child)
            .channel(config.transport().serverChannel())
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new Relay(L4Redirector.this, ch).inboundHandler());
                }
            });
        if (splicing) {
            b.childOption(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
        }
        return b;
    }

    /** Binds the listening socket and starts relaying. */
    public static L4Redirector start(L4Config config) {
        return new L4Redirector(config);
    }

    /** The bound address (useful with port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) servers.get(0).localAddress();
    }

    L4Config config() {
        return config;
    }

    @Override
    public RoutingControl control() {
        return control;
    }

    /** Whether connections are relayed with splice(2). */
    public boolean splicing() {
        return splicing;
    }

    /** Backends currently ejected by outlier detection. */
    public List<String> ejected() {
        return control.ejected();
    }

    @Override
    public void close() {
        for (Channel ch : servers) {
            ch.close().syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        control.close();
    }
}
