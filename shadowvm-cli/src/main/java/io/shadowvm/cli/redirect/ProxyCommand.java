package io.shadowvm.cli.redirect;

import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.DataPlane;
import io.shadowvm.redirect.RedirectException;
import io.shadowvm.redirect.RelativeWeights;
import io.shadowvm.redirect.Transport;
import io.shadowvm.redirect.admin.AdminServer;
import io.shadowvm.redirect.l4.L4Config;
import io.shadowvm.redirect.l4.L4Redirector;
import io.shadowvm.redirect.l7.L7Config;
import io.shadowvm.redirect.l7.L7Redirector;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code shadowvm redirect proxy}: an L4 or L7 redirector with an optional admin endpoint; runs until stopped. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
    description = "Run an L4 (TCP) or L7 (HTTP) redirector that splits new connections (L4) or safe requests (L7) "
        + "across the backends by weight. Admin endpoint: PUT /weights {\"NAME\":W,...}, GET /stats.")
public final class ProxyCommand implements Runnable {
    /** Data plane modes. */
    enum Mode { l4, l7 }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "Where clients connect.")
    String listen;

    @Mixin
    BackendOptions backendOptions;

    @Option(names = "--mode", defaultValue = "l4", paramLabel = "l4|l7",
        description = "l4: per TCP connection; l7: per HTTP request (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--admin", paramLabel = "HOST:PORT", description = "Admin endpoint (PUT /weights, GET /stats).")
    String admin;

    @Option(names = "--affinity", description = "L4: keep each client address on one backend (Maglev hash).")
    boolean affinity;

    @Option(names = "--splice", description = "L4: relay with splice(2) when epoll is available.")
    boolean splice;

    @Option(names = "--primary", paramLabel = "NAME",
        description = "L7: the backend for requests not safe for shadows (default: 'primary', else the first).")
    String primary;

    @Option(names = "--safe-methods", split = ",", paramLabel = "METHOD", defaultValue = "GET,HEAD",
        description = "L7: methods split by weight (default: ${DEFAULT-VALUE}).")
    List<String> safeMethods;

    @Option(names = "--safe-path", split = ",", paramLabel = "PREFIX",
        description = "L7: path prefixes split by weight whatever the method.")
    List<String> safePaths;

    @Option(names = "--io-threads", defaultValue = "0", description = "Event loop threads (0: Netty's default).")
    int ioThreads;

    @Option(names = "--duration", hidden = true, defaultValue = "0",
        description = "Stop after this many seconds (0: run until interrupted); for scripts and tests.")
    long durationSeconds;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        List<Backend> backends = backendOptions.backends();
        RelativeWeights weights = backendOptions.weights(backends);
        InetSocketAddress listenAddress = Backend.parseAddress(listen);
        InetSocketAddress adminAddress = admin == null ? null : Backend.parseAddress(admin);
        if (ioThreads < 0) {
            throw new RedirectException("invalid --io-threads: " + ioThreads + " (expected: >= 0)");
        }
        DataPlane plane;
        InetSocketAddress bound;
        if (mode == Mode.l4) {
            L4Redirector l4 = L4Redirector.start(L4Config.of(listenAddress, backends, weights)
                .withAffinity(affinity).withSplice(splice).withIoThreads(ioThreads));
            plane = l4;
            bound = l4.localAddress();
        } else {
            L7Config cfg = L7Config.of(listenAddress, backends, weights).withIoThreads(ioThreads)
                .withSafe(new LinkedHashSet<>(safeMethods), safePaths == null ? List.of() : safePaths);
            if (primary != null) {
                cfg = new L7Config(cfg.listen(), cfg.backends(), primary, cfg.weights(), cfg.safeMethods(),
                    cfg.safePathPrefixes(), cfg.maxInitialLineBytes(), cfg.maxHeaderBytes(), cfg.maxBodyBytes(),
                    cfg.requestTimeoutMs(), cfg.idleTimeoutMs(), cfg.ioThreads(), cfg.connectTimeoutMs(),
                    cfg.outlier(), cfg.transport(), cfg.clock());
            }
            L7Redirector l7 = L7Redirector.start(cfg);
            plane = l7;
            bound = l7.localAddress();
        }
        AdminServer adminServer = null;
        try {
            if (adminAddress != null) {
                adminServer = AdminServer.start(adminAddress, plane);
            }
            out.println("redirect " + mode + " listening on " + hostPort(bound) + " (" + Transport.best()
                .name().toLowerCase() + (mode == Mode.l4 && splice ? ", splice" : "") + "), weights "
                + plane.weights() + (adminServer == null ? "" : ", admin on " + hostPort(adminServer.localAddress())));
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(stop::countDown, "redirect-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                if (durationSeconds > 0) {
                    stop.await(durationSeconds, TimeUnit.SECONDS);
                } else {
                    stop.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (durationSeconds > 0) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        } finally {
            if (adminServer != null) {
                adminServer.close();
            }
            plane.close();
        }
    }

    static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
