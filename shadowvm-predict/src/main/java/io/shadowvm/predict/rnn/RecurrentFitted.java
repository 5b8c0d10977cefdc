package io.shadowvm.predict.rnn;

import io.shadowvm.predict.model.BatchForecaster;
import io.shadowvm.predict.model.FittedForecaster;
import io.shadowvm.predict.model.OnlineState;
import java.util.Locale;

/** The shared network bound to one series' features (clock, daily period, threshold). */
public final class RecurrentFitted implements FittedForecaster, BatchForecaster {
    private static final int CHUNK = 4096;

    private final RecurrentModel model;
    private final Features features;
    private final RecurrentForecaster.TrainingSummary summary;

    public RecurrentFitted(RecurrentModel model, Features features, RecurrentForecaster.TrainingSummary summary) {
        this.model = model;
        this.features = features;
        this.summary = summary;
    }

    public RecurrentModel model() {
        return model;
    }

    @Override
    public String describe() {
        RnnConfig c = model.config();
        return String.format(Locale.ROOT, "%s window=%d hidden=%d epochs=%d best=%d valMSE=%.5f %.1fs", c.kind().modelName(),
            c.window(), c.hidden(), summary == null ? 0 : summary.epochs(), summary == null ? 0 : summary.bestEpoch(),
            summary == null ? Double.NaN : summary.bestValidationMse(), summary == null ? 0 : summary.seconds());
    }

    @Override
    public int warmUp() {
        return model.config().window() + features.lookBack();
    }

    @Override
    public Result forecastOrigins(double[] z, double[] exogenous, int from, int to) {
        int hk = model.horizons().length;
        int n = Math.max(0, to - from);
        double[][] fc = new double[hk][n];
        double[][] pr = new double[hk][n];
        RecurrentNet net = model.net();
        int per = net.window() * net.channels();
        float[] x = new float[Math.min(CHUNK, Math.max(n, 1)) * per];
        double[] last = new double[Math.min(CHUNK, Math.max(n, 1))];
        Features.IndexedValues zv = Features.IndexedValues.of(z);
        Features.IndexedValues ev = model.exogenous() ? Features.IndexedValues.of(exogenous) : null;
        for (int b0 = 0; b0 < n; b0 += CHUNK) {
            int bs = Math.min(CHUNK, n - b0);
            for (int i = 0; i < bs; i++) {
                int t = from + b0 + i;
                features.fill(x, i * per, net.window(), t, zv, ev);
                last[i] = z[t];
            }
            float[] out = net.infer(bs * per == x.length ? x : java.util.Arrays.copyOf(x, bs * per), bs);
            model.decode(out, bs, last, fc, pr, b0);
        }
        return new Result(fc, pr);
    }

    @Override
    public OnlineState start() {
        RecurrentNet net = model.net();
        int keep = net.window() + features.lookBack() + 1;
        double[] ring = new double[keep];
        double[] exoRing = new double[keep];
        int per = net.window() * net.channels();
        float[] x = new float[per];
        double[] last = new double[1];
        int hk = model.horizons().length;
        double[][] fc = new double[hk][1];
        return new OnlineState() {
            private long count;

            @Override
            public void observe(double z) {
                ring[(int) (count % keep)] = z;
                count++;
            }

            @Override
            public void forecast(double[] out) {
                long t = count - 1;
                long oldest = Math.max(0, count - keep);
                Features.IndexedValues zv = i -> ring[(int) (Math.max(i, oldest) % keep)];
                Features.IndexedValues ev = model.exogenous() ? i -> exoRing[(int) (Math.max(i, oldest) % keep)] : null;
                features.fill(x, 0, net.window(), Math.max(t, 0), zv, ev);
                last[0] = ring[(int) (Math.max(t, 0) % keep)];
                model.decode(net.infer(x, 1), 1, last, fc, null, 0);
                for (int k = 0; k < hk; k++) {
                    out[k] = fc[k][0];
                }
            }
        };
    }
}
