package io.shadowvm.predict.model;

/** Runs a fitted forecaster through a train+validation prefix and scores it on the validation targets. */
public final class Validation {
    private Validation() {
    }

    /** Per-horizon MSE over validation targets {@code tau in [nTrain, z.length)}. */
    public static double[] mse(FittedForecaster f, FitContext ctx) {
        int[] hs = ctx.horizons();
        double[] sse = new double[hs.length];
        int[] cnt = new int[hs.length];
        double[] out = new double[hs.length];
        OnlineState s = f.start();
        double[] z = ctx.z();
        for (int t = 0; t < z.length; t++) {
            s.observe(z[t]);
            if (t + hs[hs.length - 1] < ctx.nTrain()) {
                continue;
            }
            s.forecast(out);
            for (int k = 0; k < hs.length; k++) {
                int tau = t + hs[k];
                if (tau >= ctx.nTrain() && tau < z.length) {
                    double e = z[tau] - out[k];
                    sse[k] += e * e;
                    cnt[k]++;
                }
            }
        }
        for (int k = 0; k < hs.length; k++) {
            sse[k] = cnt[k] == 0 ? Double.POSITIVE_INFINITY : sse[k] / cnt[k];
        }
        return sse;
    }

    /** One-step-ahead MSE on the training part, after {@code burnIn} values. */
    public static double oneStepTrainMse(OnlineState s, double[] z, int nTrain, int burnIn) {
        double[] out = new double[1];
        double sse = 0;
        int cnt = 0;
        for (int t = 0; t < nTrain; t++) {
            if (t >= burnIn) {
                s.forecast(out);
                double e = z[t] - out[0];
                sse += e * e;
                cnt++;
            }
            s.observe(z[t]);
        }
        return cnt == 0 ? Double.POSITIVE_INFINITY : sse / cnt;
    }
}
