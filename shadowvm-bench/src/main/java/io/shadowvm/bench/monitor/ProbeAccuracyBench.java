package io.shadowvm.bench.monitor;

import io.shadowvm.core.agent.AgentRunner;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.monitor.probe.ProbeFrame;
import io.shadowvm.monitor.probe.ProbeListener;
import io.shadowvm.monitor.probe.ProbeMetric;
import io.shadowvm.monitor.probe.ProbeResponder;
import io.shadowvm.monitor.probe.ProbeSettings;
import io.shadowvm.monitor.probe.Prober;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The agent's TCP RTT on loopback next to two references measured in the same run against the same
 * responder: a tight blocking ping-pong loop sending the same frames at the same pace (what the
 * measurement could be without the agent's selector loop), and the kernel's smoothed RTT of the prober's
 * own connection from TCP_INFO ({@code ss -tin}). Prints medians, p90/p99 and the bias.
 *
 * <p>Run: {@code java -cp 'shadowvm-bench/target/shadowvm-bench-0.1.0-SNAPSHOT.jar:shadowvm-bench/target/lib/*'
 * io.shadowvm.bench.monitor.ProbeAccuracyBench [samples=1000] [intervalMs=10]}
 */
public final class ProbeAccuracyBench {
    private ProbeAccuracyBench() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        long intervalMs = args.length > 1 ? Long.parseLong(args[1]) : 10;
        InetAddress lo = InetAddress.getLoopbackAddress();
        ProbeResponder responder = new ProbeResponder(new InetSocketAddress(lo, 0), EpochClock.SYSTEM);
        try (AgentRunner rr = new AgentRunner(responder, responder.idleStrategy(50), Throwable::printStackTrace).start()) {
            double[] ref = reference(responder.address(), samples, intervalMs);
            double[] agent = new double[samples];
            int[] n = new int[1];
            ProbeListener collect = new ProbeListener() {
                @Override
                public void onSample(int peer, ProbeMetric metric, long epochMs, double valueMs) {
                    if (metric == ProbeMetric.TCP_RTT && n[0] < agent.length) {
                        agent[n[0]++] = valueMs;
                    }
                }

                @Override
                public void onLoss(int peer, ProbeMetric metric, long epochMs) {
                }
            };
            Prober prober = new Prober(List.of(new Prober.Target("peer", responder.address(),
                TimeUnit.MILLISECONDS.toNanos(intervalMs))), ProbeSettings.DEFAULT.withReconnectIntervalMs(0),
                NanoClock.SYSTEM, EpochClock.SYSTEM, collect);
            String kernel;
            try (AgentRunner pr = new AgentRunner(prober, prober.idleStrategy(50), Throwable::printStackTrace).start()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(samples * intervalMs / 1000 + 30);
                while (n[0] < samples && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
                kernel = kernelRtt(responder.address().getPort());
            }
            double[] a = Arrays.copyOf(agent, Math.min(n[0], samples));
            Arrays.sort(a);
            Arrays.sort(ref);
            System.out.printf(Locale.ROOT, "probe accuracy on loopback: %d samples each, one every %d ms, 64-byte frames%n",
                a.length, intervalMs);
            System.out.printf(Locale.ROOT, "  reference (blocking loop) median %.1f us  p90 %.1f us  p99 %.1f us%n",
                us(q(ref, .5)), us(q(ref, .9)), us(q(ref, .99)));
            System.out.printf(Locale.ROOT, "  agent (selector prober)   median %.1f us  p90 %.1f us  p99 %.1f us%n",
                us(q(a, .5)), us(q(a, .9)), us(q(a, .99)));
            System.out.printf(Locale.ROOT, "  bias: agent - reference = %+.1f us at the median (ratio %.2fx)%n",
                us(q(a, .5) - q(ref, .5)), q(a, .5) / q(ref, .5));
            System.out.println("  kernel TCP_INFO of the prober's connection (ss -tin): " + kernel);
        }
    }

    /** Blocking ping-pong with the agent's frames at the agent's pace. */
    private static double[] reference(InetSocketAddress peer, int samples, long intervalMs) throws IOException {
        double[] out = new double[samples];
        CRC32C crc = new CRC32C();
        try (SocketChannel ch = SocketChannel.open(peer)) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ByteBuffer req = ByteBuffer.allocateDirect(64);
            ByteBuffer rep = ByteBuffer.allocateDirect(64);
            for (int i = 0; i < samples; i++) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(intervalMs));
                long t0 = System.nanoTime();
                req.clear();
                ProbeFrame.writeRequest(req, 0, 64, 0, i + 1, t0, crc);
                while (req.hasRemaining()) {
                    ch.write(req);
                }
                rep.clear();
                while (rep.hasRemaining()) {
                    if (ch.read(rep) < 0) {
                        throw new IOException("responder closed the reference connection");
                    }
                }
                out[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return out;
    }

    private static String kernelRtt(int port) {
        try {
            Process p = new ProcessBuilder("ss", "-tin", "dst", "127.0.0.1:" + port).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("rtt:([0-9.]+)/([0-9.]+)").matcher(out);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                sb.append(sb.length() > 0 ? "; " : "").append("srtt ").append(Double.parseDouble(m.group(1)) * 1000)
                    .append(" us, rttvar ").append(Double.parseDouble(m.group(2)) * 1000).append(" us");
            }
            return sb.length() > 0 ? sb.toString() : "not available (" + out.strip().lines().findFirst().orElse("no output") + ")";
        } catch (IOException | InterruptedException e) {
            return "not available (ss: " + e.getMessage() + ")";
        }
    }

    private static double q(double[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(quantile * sorted.length))];
    }

    private static double us(double ms) {
        return ms * 1000;
    }
}
