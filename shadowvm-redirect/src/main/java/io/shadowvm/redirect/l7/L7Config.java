package io.shadowvm.redirect.l7;

import io.shadowvm.core.time.NanoClock;
import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.RedirectException;
import io.shadowvm.redirect.RelativeWeights;
import io.shadowvm.redirect.Transport;
import io.shadowvm.redirect.health.OutlierConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * L7 redirector settings.
 *
 * @param listen                where clients connect
 * @param backends              the primary and shadows
 * @param primary               the backend that takes every request that is not safe for shadows
 * @param weights               initial relative weights for safe requests
 * @param safeMethods           methods split by weight (default GET, HEAD)
 * @param safePathPrefixes      additionally, requests whose path starts with one of these are split (any method)
 * @param maxInitialLineBytes   longer request lines get 414
 * @param maxHeaderBytes        larger header blocks get 431
 * @param maxBodyBytes          larger bodies get 413
 * @param requestTimeoutMs      a request must arrive completely within this once its first byte arrived (408)
 * @param idleTimeoutMs         keep-alive connections idle this long are closed
 * @param ioThreads             event loop threads (0 = Netty's default)
 * @param connectTimeoutMs      to a backend
 * @param outlier               outlier ejection and active health checks
 * @param transport             epoll or NIO
 * @param clock                 for ejection times
 */
public record L7Config(
    InetSocketAddress listen,
    List<Backend> backends,
    String primary,
    RelativeWeights weights,
    Set<String> safeMethods,
    List<String> safePathPrefixes,
    int maxInitialLineBytes,
    int maxHeaderBytes,
    int maxBodyBytes,
    long requestTimeoutMs,
    long idleTimeoutMs,
    int ioThreads,
    int connectTimeoutMs,
    OutlierConfig outlier,
    Transport transport,
    NanoClock clock) {

    /** The response header that names the backend which answered. */
    public static final String BACKEND_HEADER = "X-ShadowVM-Backend";

    public L7Config {
        backends = List.copyOf(backends);
        safeMethods = Set.copyOf(safeMethods);
        safePathPrefixes = List.copyOf(safePathPrefixes);
        if (backends.stream().noneMatch(b -> b.name().equals(primary))) {
            throw new RedirectException("unknown primary backend: " + primary + " (expected one of "
                + backends.stream().map(Backend::name).toList() + ")");
        }
        positive("maxInitialLineBytes", maxInitialLineBytes);
        positive("maxHeaderBytes", maxHeaderBytes);
        positive("maxBodyBytes", maxBodyBytes);
        positive("requestTimeoutMs", requestTimeoutMs);
        positive("idleTimeoutMs", idleTimeoutMs);
        positive("connectTimeoutMs", connectTimeoutMs);
        if (ioThreads < 0) {
            throw new RedirectException("invalid ioThreads: " + ioThreads + " (expected: >= 0)");
        }
    }

    /**
     * Defaults: the primary is the backend named "primary" if there is one, else the first; GET/HEAD safe; 4 KiB
     * request line, 8 KiB headers, 1 MiB body, 10 s request deadline, 60 s idle.
     */
    public static L7Config of(InetSocketAddress listen, List<Backend> backends, RelativeWeights weights) {
        String primary = backends.stream().map(Backend::name).filter("primary"::equals).findFirst()
            .orElse(backends.isEmpty() ? "" : backends.get(0).name());
        return new L7Config(listen, backends, primary, weights, Set.of("GET", "HEAD"), List.of(), 4096, 8192,
            1 << 20, 10_000, 60_000, 0, 2000, OutlierConfig.defaults(), Transport.best(), NanoClock.SYSTEM);
    }

    public L7Config withLimits(int lineBytes, int headerBytes, int bodyBytes, long requestMs) {
        return new L7Config(listen, backends, primary, weights, safeMethods, safePathPrefixes, lineBytes, headerBytes,
            bodyBytes, requestMs, idleTimeoutMs, ioThreads, connectTimeoutMs, outlier, transport, clock);
    }

    public L7Config withSafe(Set<String> methods, List<String> pathPrefixes) {
        return new L7Config(listen, backends, primary, weights, methods, pathPrefixes, maxInitialLineBytes,
            maxHeaderBytes, maxBodyBytes, requestTimeoutMs, idleTimeoutMs, ioThreads, connectTimeoutMs, outlier,
            transport, clock);
    }

    public L7Config withOutlier(OutlierConfig o) {
        return new L7Config(listen, backends, primary, weights, safeMethods, safePathPrefixes, maxInitialLineBytes,
            maxHeaderBytes, maxBodyBytes, requestTimeoutMs, idleTimeoutMs, ioThreads, connectTimeoutMs, o, transport,
            clock);
    }

    public L7Config withIoThreads(int n) {
        return new L7Config(listen, backends, primary, weights, safeMethods, safePathPrefixes, maxInitialLineBytes,
            maxHeaderBytes, maxBodyBytes, requestTimeoutMs, idleTimeoutMs, n, connectTimeoutMs, outlier, transport,
            clock);
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new RedirectException("invalid " + name + ": " + v + " (expected: > 0)");
        }
    }
}
