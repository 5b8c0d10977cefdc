package io.shadowvm.bench.predict;

import io.shadowvm.predict.artifact.ModelArtifact;
import io.shadowvm.predict.artifact.ModelManifest;
import io.shadowvm.predict.artifact.ShippedModel;
import io.shadowvm.predict.online.CongestionPredictor;
import io.shadowvm.predict.online.PathSpec;
import io.shadowvm.predict.online.ScoreSource;
import io.shadowvm.predict.rnn.DjlRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.HdrHistogram.Histogram;

/**
 * What the controller's default scorer costs per tick: {@code --paths} links (default 1,000), one
 * {@code update + score} per tick, with the shipped step-free GRU (every path through the network in one batch)
 * against persistence with the model's error spread (the same predictor without its network, what the
 * controller falls back to) in the same run. Utilization per path: a seeded bounded random walk with bursts.
 * Also the time to start the PyTorch engine (once per process) and to load the shipped model from the classpath.
 * <pre>java -cp 'shadowvm-bench/target/shadowvm-bench-0.1.0-SNAPSHOT.jar:shadowvm-bench/target/lib/*' \
 *     io.shadowvm.bench.predict.ScorerTickBenchmark [--paths 1000] [--ticks 500] [--warmup 100]</pre>
 */
public final class ScorerTickBenchmark {
    private int paths = 1_000;
    private int ticks = 500;
    private int warmup = 100;

    public static void main(String[] args) throws Exception {
        ScorerTickBenchmark b = new ScorerTickBenchmark();
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--paths" -> b.paths = Integer.parseInt(v);
                case "--ticks" -> b.ticks = Integer.parseInt(v);
                case "--warmup" -> b.warmup = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                    + " (expected: --paths N, --ticks N, --warmup N)");
            }
            i++;
        }
        if (b.paths < 1 || b.ticks < 1 || b.warmup < 0) {
            throw new IllegalArgumentException("--paths " + b.paths + ", --ticks " + b.ticks + ", --warmup " + b.warmup
                + " (expected: paths >= 1, ticks >= 1, warmup >= 0)");
        }
        b.run();
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "load average at start: %s%n", load());
        long t0 = System.nanoTime();
        DjlRuntime.engine();
        double engineMs = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        ModelArtifact model = ShippedModel.load();
        double loadMs = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        ModelArtifact again = ShippedModel.load();
        double reloadMs = (System.nanoTime() - t0) / 1e6;
        again.model().net().close();
        ModelManifest m = model.manifest();
        System.out.printf(Locale.ROOT, "PyTorch engine start %.0f ms (once per process); shipped model %s: first load %.1f ms,"
            + " second load %.1f ms%n", engineMs, ShippedModel.NAME, loadMs, reloadMs);
        Histogram net = measure(new CongestionPredictor(model, 1, paths), true);
        Histogram base = measure(CongestionPredictor.baselineOnly(m, 1, paths), false);
        System.out.printf(Locale.ROOT, "%,d paths per tick, %d ticks after %d warm-up ticks%n", paths, ticks, warmup);
        print("shipped GRU", net);
        print("persistence", base);
        System.out.printf(Locale.ROOT, "ratio GRU / persistence: p50 %.1fx, mean %.1fx; GRU mean per path %.2f us%n",
            (double) net.getValueAtPercentile(50) / Math.max(1, base.getValueAtPercentile(50)),
            net.getMean() / Math.max(1, base.getMean()), net.getMean() / 1e3 / paths);
        System.out.printf(Locale.ROOT, "load average at end: %s%n", load());
    }

    private Histogram measure(CongestionPredictor p, boolean expectModel) {
        for (int s = 0; s < paths; s++) {
            p.addPath(PathSpec.ofCapacity("l" + s, 1.0, 0.8));
        }
        Random rnd = new Random(7);
        double[] u = new double[paths];
        for (int s = 0; s < paths; s++) {
            u[s] = rnd.nextDouble();
        }
        Histogram h = new Histogram(3_600_000_000L, 3);
        for (int t = 0; t < warmup + ticks; t++) {
            for (int s = 0; s < paths; s++) {
                double next = u[s] + 0.05 * rnd.nextGaussian() + (rnd.nextDouble() < 0.02 ? 0.5 : 0);
                u[s] = Math.max(0, Math.min(1, next));
            }
            long a = System.nanoTime();
            p.update(t, u);
            p.score();
            long ns = System.nanoTime() - a;
            if (t >= warmup) {
                h.recordValue(ns);
            }
        }
        ScoreSource want = expectModel ? ScoreSource.MODEL : ScoreSource.FALLBACK_NO_ENGINE;
        if (p.source(0) != want) {
            throw new IllegalStateException("path 0 scored by " + p.source(0) + " (expected: " + want + ")");
        }
        return h;
    }

    private static void print(String name, Histogram h) {
        System.out.printf(Locale.ROOT, "  %-12s per tick: p50 %.3f ms, p99 %.3f ms, max %.3f ms, mean %.3f ms%n", name,
            h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6, h.getMean() / 1e6);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
