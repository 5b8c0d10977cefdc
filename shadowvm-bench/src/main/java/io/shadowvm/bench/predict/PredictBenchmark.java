package io.shadowvm.bench.predict;

import io.shadowvm.predict.artifact.ModelArtifact;
import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.data.Datasets;
import io.shadowvm.predict.data.Series;
import io.shadowvm.predict.eval.Evaluator;
import io.shadowvm.predict.eval.PreparedSeries;
import io.shadowvm.predict.model.Autoregressive;
import io.shadowvm.predict.model.Forecaster;
import io.shadowvm.predict.online.CongestionPredictor;
import io.shadowvm.predict.online.PathSpec;
import io.shadowvm.predict.online.ScoreSource;
import io.shadowvm.predict.rnn.DjlRuntime;
import io.shadowvm.predict.rnn.RecurrentKind;
import io.shadowvm.predict.rnn.RnnConfig;
import java.nio.file.Path;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The predictor's benchmark (a whole-process run: totals and latencies of one cold run).
 * <ol>
 *   <li>Training: the GRU (default configuration) on the ISP 5-min series, against AR(p) fitting (the strongest
 *       baseline) on the same series in the same run.</li>
 *   <li>Online inference: one path, {@code update + score} per tick (HdrHistogram latencies); and
 *       {@code --paths} paths per tick in one batch: path-forecasts per second (each path gets all horizons),
 *       against the single-path rate.</li>
 * </ol>
 * <pre>java -cp 'shadowvm-bench/target/shadowvm-bench-0.1.0-SNAPSHOT.jar:shadowvm-bench/target/lib/*' \
 *     io.shadowvm.bench.predict.PredictBenchmark [--paths 10000] [--threads 1] [--ticks 20] [--data-dir data] [--model DIR]</pre>
 * {@code --model DIR} skips training and measures inference with a saved model.
 */
public final class PredictBenchmark {
    private int paths = 10_000;
    private int threads = 1;
    private int ticks = 20;
    private int singleIterations = 2_000;
    private Path dataDir;
    private String model;

    public static void main(String[] args) {
        PredictBenchmark b = new PredictBenchmark();
        b.parse(args);
        b.run();
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--paths" -> paths = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--ticks" -> ticks = Integer.parseInt(v);
                case "--single-iterations" -> singleIterations = Integer.parseInt(v);
                case "--data-dir" -> dataDir = Path.of(v);
                case "--model" -> model = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                    + " (expected: --paths N, --threads N, --ticks N, --single-iterations N, --data-dir DIR, --model DIR)");
            }
            i++;
        }
    }

    private void run() {
        System.setProperty(DjlRuntime.THREADS_PROPERTY, String.valueOf(threads));
        System.out.println("engine: " + DjlRuntime.describe() + ", torch threads " + threads + ", cores "
            + Runtime.getRuntime().availableProcessors());
        Dataset isp = Datasets.load("isp-uk-5m", dataDir);
        int[] hs = {1, 3, 6, 12};

        Evaluator ev = new Evaluator(hs, 90);
        PreparedSeries p = ev.prepare(isp).get(0);
        long a0 = System.nanoTime();
        new Autoregressive().fit(p.fitContext(hs));
        double arSec = (System.nanoTime() - a0) / 1e9;

        ModelArtifact gru;
        if (model != null) {
            // inference only, with a model from 'shadowvm predict train --data isp-uk-5m'
            gru = ModelArtifact.load(Path.of(model));
            System.out.printf(Locale.ROOT, "model %s (trained in %.1f s, %d epochs); AR(p) fit %.2f s%n", model,
                gru.manifest().network().trainSeconds(), gru.manifest().network().epochs(), arSec);
        } else {
            long g0 = System.nanoTime();
            gru = ModelArtifact.train(isp, RnnConfig.defaults(RecurrentKind.GRU).withTimeBudget(7200), hs, 90,
                Forecaster.ProgressListener.NONE);
            double gruSec = (System.nanoTime() - g0) / 1e9;
            System.out.printf(Locale.ROOT, "training on ISP 5-min (%d points): GRU %.1f s (%d epochs, best %d, incl. test "
                    + "scoring and calibration), AR(p) fit %.2f s, ratio GRU/AR %.0fx%n", isp.series().get(0).length(), gruSec,
                gru.manifest().network().epochs(), gru.manifest().network().bestEpoch(), arSec, gruSec / arSec);
        }

        Series s = isp.series().get(0);
        double[] v = s.values();
        double lo = p.normalization().min();
        double hi = p.normalization().max();

        CongestionPredictor one = new CongestionPredictor(gru, s.stepSec(), 1);
        one.addPath(new PathSpec("one", lo, hi, p.threshold()));
        double[] tick = new double[1];
        int warm = 400;
        for (int i = 0; i < warm; i++) {
            tick[0] = v[i];
            one.update(s.epochSecAt(i), tick);
        }
        Histogram h = new Histogram(3_600_000_000L, 3);
        int iters = Math.min(singleIterations, v.length - warm);
        for (int i = 0; i < iters; i++) {
            tick[0] = v[warm + i];
            long t0 = System.nanoTime();
            one.update(s.epochSecAt(warm + i), tick);
            one.score();
            h.recordValue(System.nanoTime() - t0);
        }
        if (one.source(0) != ScoreSource.MODEL) {
            throw new IllegalStateException("single path not scored by the model: " + one.source(0));
        }
        double singleRate = 1e9 / h.getValueAtPercentile(50);
        System.out.printf(Locale.ROOT, "single path, update+score per tick (%d ticks): p50 %.3f ms, p99 %.3f ms, max %.3f ms,"
                + " mean %.3f ms -> %.0f path-forecasts/s at p50%n", iters, h.getValueAtPercentile(50) / 1e6,
            h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6, h.getMean() / 1e6, singleRate);

        CongestionPredictor many = new CongestionPredictor(gru, s.stepSec(), paths);
        for (int j = 0; j < paths; j++) {
            many.addPath(new PathSpec("p" + j, lo, hi, p.threshold()));
        }
        double[] values = new double[paths];
        int need = gru.model().net().window() + 300;
        int base = 1000;
        for (int i = 0; i < need; i++) {
            for (int j = 0; j < paths; j++) {
                values[j] = v[(base + i + j) % v.length];
            }
            many.update(s.epochSecAt(base + i), values);
        }
        many.score(); // warm-up
        long total = 0;
        long best = Long.MAX_VALUE;
        for (int r = 0; r < ticks; r++) {
            for (int j = 0; j < paths; j++) {
                values[j] = v[(base + need + r + j) % v.length];
            }
            long t0 = System.nanoTime();
            many.update(s.epochSecAt(base + need + r), values);
            many.score();
            long dt = System.nanoTime() - t0;
            total += dt;
            best = Math.min(best, dt);
        }
        int modelScored = 0;
        for (int j = 0; j < paths; j++) {
            if (many.source(j) == ScoreSource.MODEL) {
                modelScored++;
            }
        }
        double meanSec = total / 1e9 / ticks;
        double rate = paths / meanSec;
        System.out.printf(Locale.ROOT, "%d paths per tick in one batch (%d ticks, %d scored by the model): mean %.1f ms/tick,"
                + " best %.1f ms -> %.0f path-forecasts/s (target >= 100000), %.1fx the single-path rate%n", paths, ticks,
            modelScored, meanSec * 1e3, best / 1e6, rate, rate / singleRate);
    }
}
