package io.shadowvm.redirect.l4;

import io.shadowvm.core.time.NanoClock;
import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.RedirectException;
import io.shadowvm.redirect.RelativeWeights;
import io.shadowvm.redirect.Transport;
import io.shadowvm.redirect.health.OutlierConfig;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * L4 redirector settings.
 *
 * @param listen            where clients connect (port 0 picks a free one)
 * @param backends          the primary and shadows
 * @param weights           initial relative weights (unnamed backends get 0)
 * @param affinity          pick by a hash of the client's IP address (same client, same backend) instead of the
 *                          exact weighted sequence
 * @param splice            relay with splice(2) when the transport supports it (byte counters then count only
 *                          what the JVM saw: 0 for spliced connections)
 * @param ioThreads         event loop threads (0 = Netty's default, 2 × cores)
 * @param connectTimeoutMs  to a backend; a timeout counts as a failure and the connection is retried elsewhere
 * @param outlier           outlier ejection and active health checks
 * @param transport         epoll or NIO
 * @param clock             for ejection times
 */
public record L4Config(
    InetSocketAddress listen,
    List<Backend> backends,
    RelativeWeights weights,
    boolean affinity,
    boolean splice,
    int ioThreads,
    int connectTimeoutMs,
    OutlierConfig outlier,
    Transport transport,
    NanoClock clock) {

    public L4Config {
        backends = List.copyOf(backends);
        if (ioThreads < 0) {
            throw new RedirectException("invalid ioThreads: " + ioThreads + " (expected: >= 0)");
        }
        if (connectTimeoutMs <= 0) {
            throw new RedirectException("invalid connectTimeoutMs: " + connectTimeoutMs + " (expected: > 0)");
        }
    }

    public static L4Config of(InetSocketAddress listen, List<Backend> backends, RelativeWeights weights) {
        return new L4Config(listen, backends, weights, false, false, 0, 2000, OutlierConfig.defaults(),
            Transport.best(), NanoClock.SYSTEM);
    }

    public L4Config withAffinity(boolean on) {
        return new L4Config(listen, backends, weights, on, splice, ioThreads, connectTimeoutMs, outlier, transport,
            clock);
    }

    public L4Config withSplice(boolean on) {
        return new L4Config(listen, backends, weights, affinity, on, ioThreads, connectTimeoutMs, outlier, transport,
            clock);
    }

    public L4Config withOutlier(OutlierConfig o) {
        return new L4Config(listen, backends, weights, affinity, splice, ioThreads, connectTimeoutMs, o, transport,
            clock);
    }

    public L4Config withIoThreads(int n) {
        return new L4Config(listen, backends, weights, affinity, splice, n, connectTimeoutMs, outlier, transport,
            clock);
    }

    public L4Config withTransport(Transport t) {
        return new L4Config(listen, backends, weights, affinity, splice, ioThreads, connectTimeoutMs, outlier, t,
            clock);
    }
}
