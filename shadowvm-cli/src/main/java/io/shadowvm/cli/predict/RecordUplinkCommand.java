package io.shadowvm.cli.predict;

import io.shadowvm.agent.uplink.DiscardSink;
import io.shadowvm.agent.uplink.RackUplink;
import io.shadowvm.api.proto.TelemetryBatch;
import io.shadowvm.core.time.NanoClock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shadowvm predict record-uplink}: a 1 s utilization series of a real rate-limited path. Bulk TCP
 * transfers go through shadowvm-agent's {@link RackUplink} (a loopback relay behind a token bucket of the
 * link's capacity) to a discard sink; the uplink's own telemetry (bytes relayed per second / capacity) is
 * written once a second as {@code timestamp,utilization}. The offered load is synthetic and seeded: transfers
 * arrive as a Poisson process whose rate follows {@code rho(t) = 0.6 + 0.3 sin(2 pi t / 600 s) + 0.15 w(t)}
 * (w an AR(1) with coefficient 0.98 per second and unit variance) times the capacity, with Pareto sizes
 * (shape 1.5, minimum 50 KB); at most {@code --max-flows} transfers run at once and further arrivals are
 * dropped. What the path does with that load (queueing in the bucket, TCP back-pressure, overlap of
 * transfers) is measured, not simulated. Not one of the training traces.
 */
@Command(name = "record-uplink", mixinStandardHelpOptions = true,
    description = "Record 1 s utilization of a real rate-limited loopback uplink under a seeded bulk-transfer load.")
public final class RecordUplinkCommand implements Callable<Integer> {
    private static final double MIN_BYTES = 50_000;
    private static final double SHAPE = 1.5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV to write (timestamp,utilization).")
    Path out;

    @Option(names = "--seconds", defaultValue = "1200", description = "Samples to record, one per second (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--mbit", defaultValue = "8", description = "Uplink capacity, Mbit/s (default ${DEFAULT-VALUE}).")
    int mbit;

    @Option(names = "--max-flows", defaultValue = "64", description = "Concurrent transfers at most (default ${DEFAULT-VALUE}).")
    int maxFlows;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the offered load (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        CommandLine cmd = spec.commandLine();
        if (seconds < 60 || seconds > 86_400) {
            throw new CommandLine.ParameterException(cmd, "--seconds: " + seconds + " (expected: 60-86400)");
        }
        if (mbit < 1 || mbit > 1_000) {
            throw new CommandLine.ParameterException(cmd, "--mbit: " + mbit + " (expected: 1-1000)");
        }
        if (maxFlows < 1 || maxFlows > 1_000) {
            throw new CommandLine.ParameterException(cmd, "--max-flows: " + maxFlows + " (expected: 1-1000)");
        }
        PrintWriter log = cmd.getErr();
        double bytesPerSec = mbit * 1_000_000.0 / 8;
        double meanSize = MIN_BYTES * SHAPE / (SHAPE - 1);
        AtomicInteger running = new AtomicInteger();
        long dropped = 0;
        long started = 0;
        Random rnd = new Random(seed);
        try (DiscardSink sink = new DiscardSink();
             RackUplink uplink = new RackUplink("r1-spine", mbit * 1_000_000L, NanoClock.SYSTEM);
             Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            RackUplink.Front front = uplink.front(sink.address());
            int port = Integer.parseInt(front.address().substring(front.address().indexOf(':') + 1));
            w.write("timestamp,utilization\n");
            uplink.collect(TelemetryBatch.newBuilder(), 0);
            long t0 = System.nanoTime();
            double ar = 0;
            double nextArrival = 0;
            for (int s = 0; s < seconds; s++) {
                ar = 0.98 * ar + Math.sqrt(1 - 0.98 * 0.98) * rnd.nextGaussian();
                double rho = Math.max(0.05, 0.6 + 0.3 * Math.sin(2 * Math.PI * s / 600.0) + 0.15 * ar);
                double rate = rho * bytesPerSec / meanSize;
                // arrivals of this second, at their offsets
                while (nextArrival < s + 1) {
                    long at = t0 + (long) (nextArrival * 1e9);
                    LockSupport.parkNanos(at - System.nanoTime());
                    long size = (long) (MIN_BYTES / Math.pow(1 - rnd.nextDouble(), 1 / SHAPE));
                    if (running.get() >= maxFlows) {
                        dropped++;
                    } else {
                        started++;
                        running.incrementAndGet();
                        Thread t = new Thread(() -> transfer(port, size, running), "record-uplink-flow");
                        t.setDaemon(true);
                        t.start();
                    }
                    nextArrival += -Math.log(1 - rnd.nextDouble()) / rate;
                }
                LockSupport.parkNanos(t0 + (s + 1) * 1_000_000_000L - System.nanoTime());
                TelemetryBatch.Builder b = TelemetryBatch.newBuilder();
                uplink.collect(b, System.currentTimeMillis());
                double u = b.getLinksCount() == 0 ? 0 : b.getLinks(0).getUtilization();
                w.write(String.format(Locale.ROOT, "%d,%.5f%n", System.currentTimeMillis() / 1000, u));
                w.flush();
                if ((s + 1) % 60 == 0) {
                    log.printf(Locale.ROOT, "record-uplink: %d/%d s, utilization %.3f, offered %.2f, %d transfers running%n",
                        s + 1, seconds, u, rho, running.get());
                    log.flush();
                }
            }
        }
        cmd.getOut().printf("wrote %d samples of 1 s to %s (%d transfers started, %d dropped at %d running)%n", seconds, out,
            started, dropped, maxFlows);
        cmd.getOut().flush();
        return 0;
    }

    private static void transfer(int port, long size, AtomicInteger running) {
        byte[] buf = new byte[16_384];
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream o = s.getOutputStream();
            for (long sent = 0; sent < size; sent += buf.length) {
                o.write(buf, 0, (int) Math.min(buf.length, size - sent));
            }
            s.shutdownOutput();
            s.getInputStream().read();
        } catch (IOException e) {
            // the relay or sink went away: the transfer ends
        } finally {
            running.decrementAndGet();
        }
    }
}
