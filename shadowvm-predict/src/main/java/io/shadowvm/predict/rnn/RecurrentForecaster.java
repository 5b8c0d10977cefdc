package io.shadowvm.predict.rnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.shadowvm.predict.PredictException;
import io.shadowvm.predict.model.FitContext;
import io.shadowvm.predict.model.FittedForecaster;
import io.shadowvm.predict.model.Forecaster;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains one global recurrent network across all given series. Training windows end at origins whose
 * largest-horizon target lies in the training part; validation windows at origins whose targets lie in the
 * validation part. Loss: MSE of the scaled deltas plus half the binary cross-entropy of the exceedance
 * logits. Adam, fixed seed, shuffled windows (seeded). The epoch with the best validation MSE (normalized
 * units, mean over horizons) is kept; training stops after {@code patience} epochs without improvement, at
 * {@code maxEpochs}, or once the time budget is spent. Series from several datasets (named {@code dataset/series}
 * by {@code Datasets.union}) are weighted by dataset: every epoch draws the same number of windows from each
 * dataset (see {@link Groups}), so 475 OD flows do not outvote one backbone link.
 */
public final class RecurrentForecaster implements Forecaster {
    private static final double BCE_WEIGHT = 0.5;
    private static final Object SEED_LOCK = new Object();

    private final RnnConfig config;

    public RecurrentForecaster(RnnConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return config.kind().modelName();
    }

    public RnnConfig config() {
        return config;
    }

    @Override
    public FittedForecaster fit(FitContext ctx) {
        return fitAll(List.of(ctx), ProgressListener.NONE).get(0);
    }

    /** The outcome of training, for the manifest. */
    public record TrainingSummary(int epochs, int bestEpoch, double bestValidationMse, long trainWindows,
                                  long validationWindows, double seconds) {
    }

    private TrainingSummary lastSummary;

    public TrainingSummary lastSummary() {
        return lastSummary;
    }

    @Override
    public List<FittedForecaster> fitAll(List<FitContext> series, ProgressListener progress) {
        long t0 = System.nanoTime();
        int[] hs = series.get(0).horizons();
        int hk = hs.length;
        int maxH = hs[hk - 1];
        boolean exo = config.exogenous() && series.stream().allMatch(c -> c.exogenous() != null);
        int channels = Features.channels(exo);
        int window = config.window();
        List<Features> feats = new ArrayList<>();
        List<long[]> train = new ArrayList<>();
        List<long[]> val = new ArrayList<>();
        for (int j = 0; j < series.size(); j++) {
            FitContext c = series.get(j);
            Features f = new Features(c.startEpochSec(), c.stepSec(), c.dailyPeriod(), maxH, c.threshold(), exo);
            feats.add(f);
            int last = c.nTrain() - 1 - maxH;
            int first = Math.min(window - 1 + f.lookBack(), last);
            first = Math.max(first, Math.min(window - 1, last));
            for (int t = Math.max(0, first); t <= last; t++) {
                train.add(new long[] {j, t});
            }
            for (int t = c.nTrain() - 1; t + maxH < c.z().length; t++) {
                val.add(new long[] {j, t});
            }
        }
        if (train.isEmpty()) {
            throw new PredictException("rnn: no training windows (series too short for window " + window + " and horizon "
                + maxH + ")");
        }
        double[] scale = deltaScales(series, train, hs);
        Random rnd = new Random(config.seed());
        List<List<long[]>> trainGroups = Groups.split(series, train);
        if (val.size() > 8192) {
            List<List<long[]>> vg = Groups.split(series, val);
            val = vg.size() > 1 ? Groups.draw(vg, 8192, new Random(config.seed() + 1)) : val;
            java.util.Collections.shuffle(val, new Random(config.seed() + 1));
            val = new ArrayList<>(val.subList(0, Math.min(val.size(), 8192)));
        }
        RecurrentNet net = new RecurrentNet(config.kind(), window, channels, config.hidden(), hk, config.seed());
        DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss())
            .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) config.learningRate()))
                .optClipGrad(1f).build());
        int batch = config.batchSize();
        float[] x = new float[batch * window * channels];
        float[] yd = new float[batch * hk];
        float[] yl = new float[batch * hk];
        double bestMse = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        List<float[]> best = null;
        int epochsRun = 0;
        try (Trainer trainer = net.model().newTrainer(tc)) {
            // torch's random generator is process-wide: seed and draw the initial weights under one lock so that
            // models trained on other threads at the same time cannot interleave their draws
            synchronized (SEED_LOCK) {
                DjlRuntime.engine().setRandomSeed((int) config.seed());
                trainer.initialize(net.inputShape(batch));
            }
            for (int epoch = 0; epoch < config.maxEpochs(); epoch++) {
                List<long[]> epochWindows = train;
                if (trainGroups.size() > 1) {
                    epochWindows = Groups.draw(trainGroups, config.samplesPerEpoch(), rnd);
                } else {
                    java.util.Collections.shuffle(train, rnd);
                }
                int n = Math.min(epochWindows.size(), config.samplesPerEpoch());
                for (int b0 = 0; b0 + batch <= Math.max(n, batch) && b0 < n; b0 += batch) {
                    int bs = Math.min(batch, n - b0);
                    for (int i = 0; i < bs; i++) {
                        long[] s = epochWindows.get(b0 + i);
                        FitContext c = series.get((int) s[0]);
                        fillSample(feats.get((int) s[0]), c, window, (int) s[1], hs, scale, x, yd, yl, i,
                            config.crossing());
                    }
                    try (NDManager m = trainer.getManager().newSubManager();
                         GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray xa = m.create(bs == batch ? x : java.util.Arrays.copyOf(x, bs * window * channels),
                            net.inputShape(bs));
                        NDArray yda = m.create(java.util.Arrays.copyOf(yd, bs * hk), new ai.djl.ndarray.types.Shape(bs, hk));
                        NDArray yla = m.create(java.util.Arrays.copyOf(yl, bs * hk), new ai.djl.ndarray.types.Shape(bs, hk));
                        NDArray out = trainer.forward(new NDList(xa)).head();
                        NDArray pred = out.get(":, 0:" + hk);
                        NDArray logits = out.get(":, " + hk + ":");
                        NDArray mse = pred.sub(yda).square().mean();
                        NDArray bce = logits.maximum(0f).sub(logits.mul(yla)).add(logits.abs().neg().exp().add(1f).log()).mean();
                        gc.backward(mse.add(bce.mul((float) BCE_WEIGHT)));
                    }
                    trainer.step();
                }
                epochsRun = epoch + 1;
                double vm = validationMse(net, series, feats, val, hs, scale);
                if (vm < bestMse) {
                    bestMse = vm;
                    bestEpoch = epoch;
                    best = net.snapshot();
                }
                progress.progress(name() + " epoch", epoch + 1, config.maxEpochs());
                boolean stale = epoch - bestEpoch >= config.patience();
                boolean outOfTime = (System.nanoTime() - t0) / 1e9 > config.timeBudgetSec();
                if (stale || outOfTime) {
                    progress.progress(name() + " epoch", config.maxEpochs(), config.maxEpochs());
                    break;
                }
            }
        }
        if (best != null) {
            net.restore(best);
        }
        lastSummary = new TrainingSummary(epochsRun, bestEpoch + 1, bestMse, train.size(), val.size(),
            (System.nanoTime() - t0) / 1e9);
        RecurrentModel shared = new RecurrentModel(net, config, hs, scale, exo);
        List<FittedForecaster> out = new ArrayList<>();
        for (int j = 0; j < series.size(); j++) {
            out.add(new RecurrentFitted(shared, feats.get(j), lastSummary));
        }
        return out;
    }

    private static void fillSample(Features f, FitContext c, int window, int t, int[] hs, double[] scale, float[] x,
                                   float[] yd, float[] yl, int i, boolean crossing) {
        double[] z = c.z();
        f.fill(x, i * window * f.channels(), window, t, Features.IndexedValues.of(z), Features.IndexedValues.of(c.exogenous()));
        for (int k = 0; k < hs.length; k++) {
            double target = z[t + hs[k]];
            yd[i * hs.length + k] = (float) ((target - z[t]) / scale[k]);
            yl[i * hs.length + k] = (crossing ? maxAhead(z, t, hs[k]) : target) > c.threshold() ? 1f : 0f;
        }
    }

    /** The largest of {@code z[t+1 .. t+h]}: above the threshold iff the series crosses it within h steps. */
    public static double maxAhead(double[] z, int t, int h) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = t + 1; j <= t + h; j++) {
            m = Math.max(m, z[j]);
        }
        return m;
    }

    private static double[] deltaScales(List<FitContext> series, List<long[]> train, int[] hs) {
        double[] scale = new double[hs.length];
        int step = Math.max(1, train.size() / 50_000);
        for (int k = 0; k < hs.length; k++) {
            double s2 = 0;
            long n = 0;
            for (int i = 0; i < train.size(); i += step) {
                long[] s = train.get(i);
                double[] z = series.get((int) s[0]).z();
                double d = z[(int) s[1] + hs[k]] - z[(int) s[1]];
                s2 += d * d;
                n++;
            }
            scale[k] = Math.max(1e-6, Math.sqrt(s2 / Math.max(1, n)));
        }
        return scale;
    }

    private static double validationMse(RecurrentNet net, List<FitContext> series, List<Features> feats, List<long[]> val,
                                        int[] hs, double[] scale) {
        if (val.isEmpty()) {
            return 0;
        }
        int hk = hs.length;
        int chunk = 2048;
        int per = net.window() * net.channels();
        float[] x = new float[chunk * per];
        double sse = 0;
        long cnt = 0;
        for (int b0 = 0; b0 < val.size(); b0 += chunk) {
            int bs = Math.min(chunk, val.size() - b0);
            for (int i = 0; i < bs; i++) {
                long[] s = val.get(b0 + i);
                FitContext c = series.get((int) s[0]);
                feats.get((int) s[0]).fill(x, i * per, net.window(), s[1], Features.IndexedValues.of(c.z()),
                    Features.IndexedValues.of(c.exogenous()));
            }
            float[] out = net.infer(bs == chunk ? x : java.util.Arrays.copyOf(x, bs * per), bs);
            for (int i = 0; i < bs; i++) {
                long[] s = val.get(b0 + i);
                double[] z = series.get((int) s[0]).z();
                int t = (int) s[1];
                for (int k = 0; k < hk; k++) {
                    double f = z[t] + scale[k] * out[i * 2 * hk + k];
                    double e = z[t + hs[k]] - f;
                    sse += e * e;
                    cnt++;
                }
            }
        }
        return sse / cnt;
    }
}
