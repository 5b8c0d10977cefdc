package io.shadowvm.redirect.route;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.BackendStats;
import io.shadowvm.redirect.RedirectException;
import io.shadowvm.redirect.RelativeWeights;
import io.shadowvm.redirect.Transport;
import io.shadowvm.redirect.health.OutlierConfig;
import io.shadowvm.redirect.health.OutlierDetector;
import io.shadowvm.redirect.maglev.MaglevTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Owns the configured weights and the outlier detector on one control thread, and publishes {@link Routing}
 * snapshots. I/O threads call {@link #routing()} and {@link #pick} (lock-free), and report connect results with
 * {@link #reportSuccess}/{@link #reportFailure} (queued to the control thread).
 */
public final class RoutingControl implements AutoCloseable {
    private static final long TICK_MS = 100;

    private final List<Backend> backends;
    private final List<String> names;
    private final BackendStats[] stats;
    private final OutlierConfig outlierConfig;
    private final OutlierDetector detector;
    private final NanoClock clock;
    private final EventLoop control;
    private final EventLoopGroup ioGroup;
    private final Transport transport;
    private final AtomicLong sequence = new AtomicLong();
    /** Backends with failures not yet cleared by a success: lets I/O threads skip reporting routine successes. */
    private final AtomicIntegerArray failing;
    private volatile Routing routing;
    private double[] configured; // control thread only (and the constructor)
    private long version;

    public RoutingControl(List<Backend> backends, RelativeWeights weights, OutlierConfig outlierConfig, NanoClock clock,
                          EventLoopGroup ioGroup, Transport transport) {
        if (backends.isEmpty()) {
            throw new RedirectException("no backends (expected: at least one NAME=HOST:PORT)");
        }
        this.backends = List.copyOf(backends);
        List<String> n = new ArrayList<>();
        for (Backend b : backends) {
            if (n.contains(b.name())) {
                throw new RedirectException("duplicate backend name: " + b.name());
            }
            n.add(b.name());
        }
        this.names = List.copyOf(n);
        this.stats = new BackendStats[backends.size()];
        this.failing = new AtomicIntegerArray(backends.size());
        for (int i = 0; i < stats.length; i++) {
            stats[i] = new BackendStats();
        }
        this.outlierConfig = outlierConfig;
        this.detector = new OutlierDetector(outlierConfig, backends.size());
        this.clock = clock;
        this.ioGroup = ioGroup;
        this.transport = transport;
        this.configured = normalize(weights.resolve(names));
        publish();
        this.control = new DefaultEventLoop(new DefaultThreadFactory("redirect-control", true));
        control.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        if (outlierConfig.healthCheckIntervalNs() > 0) {
            control.scheduleAtFixedRate(this::healthCheck, outlierConfig.healthCheckIntervalNs(),
                outlierConfig.healthCheckIntervalNs(), TimeUnit.NANOSECONDS);
        }
    }

    public List<Backend> backends() {
        return backends;
    }

    public List<String> names() {
        return names;
    }

    public BackendStats stats(int backend) {
        return stats[backend];
    }

    public Routing routing() {
        return routing;
    }

    /**
     * A backend for a new connection or request: with affinity the Maglev slot of {@code key}, else the next
     * position of the table's low-discrepancy sequence (an exact split by weight).
     */
    public int pick(Routing r, boolean affinity, long key) {
        return affinity ? r.table().lookup(key) : r.table().sequence(sequence.getAndIncrement());
    }

    /**
     * A backend other than those in {@code triedMask} (bit i = backend i already failed), preferring the
     * weight order of the table; -1 when every backend with weight has been tried.
     */
    public int pickRetry(Routing r, long triedMask) {
        for (int draw = 0; draw < 64; draw++) {
            int i = r.table().sequence(sequence.getAndIncrement());
            if (i >= 64 || (triedMask & (1L << i)) == 0) {
                return i;
            }
        }
        for (int i = 0; i < r.backends().size() && i < 64; i++) {
            if ((triedMask & (1L << i)) == 0 && r.table().weight(i) > 0) {
                return i;
            }
        }
        return -1;
    }

    /** Validates, then applies new weights; returns once new connections use them. */
    public void setWeights(RelativeWeights weights) {
        double[] w = normalize(weights.resolve(names));
        onControl(() -> {
            configured = w;
            publish();
        });
    }

    /** The configured weights, normalized, per backend name. */
    public Map<String, Double> weights() {
        double[] w = routing.configured();
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < w.length; i++) {
            m.put(names.get(i), w[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    public Map<String, BackendStats.Snapshot> statsSnapshot() {
        Map<String, BackendStats.Snapshot> m = new LinkedHashMap<>();
        for (int i = 0; i < stats.length; i++) {
            m.put(names.get(i), stats[i].snapshot());
        }
        return Collections.unmodifiableMap(m);
    }

    /** Ejected backend names (a snapshot taken on the control thread). */
    public List<String> ejected() {
        List<String> out = new ArrayList<>();
        onControl(() -> {
            for (int i = 0; i < names.size(); i++) {
                if (detector.isEjected(i)) {
                    out.add(names.get(i));
                }
            }
        });
        return out;
    }

    /** A successful connect; costs the I/O thread one volatile read unless the backend had failures. */
    public void reportSuccess(int backend) {
        if (failing.get(backend) != 0 && failing.compareAndSet(backend, 1, 0)) {
            control.execute(() -> detector.onSuccess(backend));
        }
    }

    public void reportFailure(int backend) {
        failing.set(backend, 1);
        control.execute(() -> {
            if (detector.onFailure(backend, clock.nanoTime())) {
                publish();
            }
        });
    }

    private void tick() {
        if (detector.tick(clock.nanoTime())) {
            publish();
        }
    }

    private void healthCheck() {
        int timeoutMs = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(outlierConfig.healthCheckTimeoutNs()));
        for (int i = 0; i < backends.size(); i++) {
            int backend = i;
            ChannelFuture f = new Bootstrap().group(ioGroup).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMs)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(backends.get(i).address());
            f.addListener(done -> {
                if (done.isSuccess()) {
                    f.channel().close();
                    reportSuccess(backend);
                } else {
                    reportFailure(backend);
                }
            });
        }
    }

    private void publish() {
        double[] effective = detector.effectiveWeights(configured);
        MaglevTable table = MaglevTable.build(names, effective);
        routing = new Routing(++version, backends, table, configured, detector.panic(configured));
    }

    private void onControl(Runnable r) {
        try {
            control.submit(r).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedirectException("interrupted while applying weights", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new RedirectException("applying weights failed: " + e.getCause(), e.getCause());
        }
    }

    private static double[] normalize(double[] w) {
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i] / sum;
        }
        return out;
    }

    @Override
    public void close() {
        control.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
