package io.shadowvm.agent.uplink;

import io.shadowvm.agent.TelemetrySource;
import io.shadowvm.api.proto.LinkSample;
import io.shadowvm.api.proto.TelemetryBatch;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.time.NanoClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A rack's uplink (topology link {@code <rack>-spine}) on loopback: every {@link #front} is a TCP relay on
 * 127.0.0.1 to one address inside the rack, and all fronts of the rack share one {@link TokenBucket} of the
 * link's capacity (both directions count against it: a half-duplex model). As a {@link TelemetrySource} it
 * reports the bytes relayed since the previous call divided by what the capacity allows in that window, the
 * utilization the monitor reports for a {@code tbf}-limited link.
 */
public final class RackUplink implements TelemetrySource, AutoCloseable {
    private static final int CHUNK = 4_096;
    private final String link;
    private final TokenBucket bucket;
    private final NanoClock clock;
    private final AtomicLong bytes = new AtomicLong();
    private final List<Front> fronts = new CopyOnWriteArrayList<>();
    private long lastBytes;
    private long lastNs = Long.MIN_VALUE;
    private volatile double lastUtilization;

    /**
     * @param link          the topology link name, e.g. {@code r1-spine}
     * @param bitsPerSecond the capacity
     */
    public RackUplink(String link, long bitsPerSecond, NanoClock clock) {
        this.link = link;
        this.bucket = new TokenBucket(bitsPerSecond / 8, 20_000_000L);
        this.clock = clock;
    }

    public String link() {
        return link;
    }

    /** Bytes relayed so far (both directions). */
    public long bytes() {
        return bytes.get();
    }

    /** The utilization of the last {@link #collect} window. */
    public double lastUtilization() {
        return lastUtilization;
    }

    public long bitsPerSecond() {
        return bucket.bytesPerSecond() * 8;
    }

    /** Starts a relay to {@code target} ("host:port") behind this uplink. */
    public Front front(String target) {
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            throw new ShadowVmException("invalid relay target: '" + target + "' (expected host:port)");
        }
        InetSocketAddress to = new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
        try {
            ServerSocket ss = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
            Front f = new Front(ss, to);
            fronts.add(f);
            Thread t = new Thread(f::acceptLoop, "uplink-" + link + "-" + ss.getLocalPort());
            t.setDaemon(true);
            t.start();
            return f;
        } catch (IOException e) {
            throw new ShadowVmException("uplink " + link + ": cannot listen for " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void collect(TelemetryBatch.Builder batch, long nowMs) {
        long now = clock.nanoTime();
        long b = bytes.get();
        if (lastNs != Long.MIN_VALUE && now > lastNs) {
            double seconds = (now - lastNs) / 1e9;
            double u = (b - lastBytes) / (bucket.bytesPerSecond() * seconds);
            lastUtilization = Math.min(1.0, u);
            batch.addLinks(LinkSample.newBuilder().setLink(link).setAtMs(nowMs).setUtilization(lastUtilization)
                .setBitsPerSecond((b - lastBytes) * 8 / seconds));
        }
        lastNs = now;
        lastBytes = b;
    }

    @Override
    public void close() {
        for (Front f : fronts) {
            f.close();
        }
        fronts.clear();
    }

    /** One relay listener: accepted connections are spliced to the target through the shared bucket. */
    public final class Front implements AutoCloseable {
        private final ServerSocket server;
        private final InetSocketAddress target;
        private final List<Socket> open = new CopyOnWriteArrayList<>();

        private Front(ServerSocket server, InetSocketAddress target) {
            this.server = server;
            this.target = target;
        }

        /** "127.0.0.1:port" of the relay. */
        public String address() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                Socket in;
                try {
                    in = server.accept();
                } catch (IOException e) {
                    return;
                }
                Socket out = new Socket();
                try {
                    out.connect(target, 2_000);
                } catch (IOException e) {
                    // the target is gone: reset the client's connection at once, as a dead host would
                    resetQuietly(in);
                    closeQuietly(out);
                    continue;
                }
                open.add(in);
                open.add(out);
                java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
                pump(in, out, "in", done);
                pump(out, in, "out", done);
            }
        }

        private void pump(Socket from, Socket to, String dir, java.util.concurrent.atomic.AtomicInteger done) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[CHUNK];
                boolean clean = false;
                try {
                    InputStream i = from.getInputStream();
                    OutputStream o = to.getOutputStream();
                    int n;
                    while ((n = i.read(buf)) > 0) {
                        long wait = bucket.reserve(n, clock.nanoTime());
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        o.write(buf, 0, n);
                        bytes.addAndGet(n);
                    }
                    to.shutdownOutput();
                    clean = true;
                } catch (IOException e) {
                    // a side closed or reset: tear the connection down
                } finally {
                    if (!clean || done.incrementAndGet() == 2) {
                        closeQuietly(from);
                        closeQuietly(to);
                        open.remove(from);
                        open.remove(to);
                    }
                }
            }, "uplink-" + link + "-" + dir);
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            closeQuietly(server);
            for (Socket s : open) {
                closeQuietly(s);
            }
            open.clear();
            fronts.remove(this);
        }
    }

    private static void resetQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // closing anyway
        }
        closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // best effort
        }
    }
}
