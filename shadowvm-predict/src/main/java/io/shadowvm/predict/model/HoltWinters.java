package io.shadowvm.predict.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Additive Holt-Winters with a damped trend and a daily season, plus a weekly season when the training part
 * spans at least two weeks (Taylor's double-seasonal form). Error-correction updates with one-step error
 * {@code e}: {@code l += phi b + alpha e; b = phi b + beta e; s_d += gamma_d e; s_w += gamma_w e}.
 * Smoothing parameters are fitted by Nelder-Mead (with restarts, to convergence) on the one-step training
 * MSE; the seasonal variant (none / daily / daily+weekly) is chosen on validation MSE.
 */
public final class HoltWinters implements Forecaster {
    @Override
    public String name() {
        return "holt-winters";
    }

    /** Fitted parameters and initial state; {@code m1}/{@code m2} are 0 when a season is absent. */
    record Params(double alpha, double beta, double gammaDaily, double gammaWeekly, double phi,
                  int m1, int m2, double level0, double trend0, double[] season1, double[] season2) {
    }

    @Override
    public FittedForecaster fit(FitContext ctx) {
        List<int[]> variants = new ArrayList<>();
        int n = ctx.nTrain();
        int m1 = ctx.dailyPeriod();
        int m2 = ctx.weeklyPeriod();
        if (m1 > 0 && n >= 2 * m1) {
            variants.add(new int[] {m1, 0});
            if (m2 > 0 && m2 % m1 == 0 && n >= 2 * m2) {
                variants.add(new int[] {m1, m2});
            }
        }
        if (variants.isEmpty()) {
            variants.add(new int[] {0, 0});
        }
        FittedForecaster best = null;
        double bestVal = Double.POSITIVE_INFINITY;
        for (int[] v : variants) {
            FittedForecaster f = fitVariant(ctx, v[0], v[1]);
            double[] mse = Validation.mse(f, ctx);
            double mean = 0;
            for (double e : mse) {
                mean += e / mse.length;
            }
            if (best == null || mean < bestVal) {
                best = f;
                bestVal = mean;
            }
        }
        return best;
    }

    /** Fits one seasonal variant (also used by tests). */
    static FittedForecaster fitVariant(FitContext ctx, int m1, int m2) {
        double[] z = ctx.z();
        int n = ctx.nTrain();
        double level0;
        double trend0;
        double[] s1 = new double[Math.max(m1, 1)];
        double[] s2 = new double[Math.max(m2, 1)];
        if (m1 > 0) {
            int k = Math.min(n / m1, 4);
            double[] mu = new double[k];
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < m1; i++) {
                    mu[j] += z[j * m1 + i] / m1;
                }
                for (int i = 0; i < m1; i++) {
                    s1[i] += (z[j * m1 + i] - mu[j]) / k;
                }
            }
            trend0 = (mu[k - 1] - mu[0]) / ((k - 1) * (double) m1);
            level0 = mu[0] - trend0 * (m1 - 1) / 2.0;
            if (m2 > 0) {
                int w = Math.min(n / m2, 2);
                for (int j = 0; j < w; j++) {
                    double nu = 0;
                    for (int i = 0; i < m2; i++) {
                        nu += z[j * m2 + i] / m2;
                    }
                    for (int i = 0; i < m2; i++) {
                        s2[i] += (z[j * m2 + i] - nu - s1[i % m1]) / w;
                    }
                }
            }
        } else {
            level0 = z[0];
            trend0 = 0;
        }
        int burnIn = Math.max(m1, 1);
        int np = m2 > 0 ? 5 : m1 > 0 ? 4 : 3;
        double l0 = level0;
        double b0 = trend0;
        java.util.function.ToDoubleFunction<double[]> objective = u -> {
            Params p = decode(u, m1, m2, l0, b0, s1, s2);
            return Validation.oneStepTrainMse(new State(p, new int[] {1}), z, n, burnIn);
        };
        double[] start = new double[np];
        start[0] = logit(0.3);
        start[1] = logit(0.05);
        start[2] = logit(0.9); // phi = 0.98
        if (np > 3) {
            start[3] = logit(0.1);
        }
        if (np > 4) {
            start[4] = logit(0.1);
        }
        NelderMead.Result r = NelderMead.minimize(objective, start, 1.0, 1e-9, 4000);
        Params p = decode(r.x(), m1, m2, l0, b0, s1, s2);
        int[] hs = ctx.horizons().clone();
        return new FittedForecaster() {
            @Override
            public OnlineState start() {
                return new State(p, hs);
            }

            @Override
            public String describe() {
                return String.format(Locale.ROOT, "m=%d%s a=%.3f b=%.3f phi=%.3f gd=%.3f gw=%.3f (%d evals)", p.m1(),
                    p.m2() > 0 ? "+" + p.m2() : "", p.alpha(), p.beta(), p.phi(), p.gammaDaily(), p.gammaWeekly(),
                    r.evaluations());
            }

            @Override
            public int warmUp() {
                return Math.max(1, p.m1());
            }
        };
    }

    private static Params decode(double[] u, int m1, int m2, double l0, double b0, double[] s1, double[] s2) {
        double alpha = sigmoid(u[0]);
        double beta = alpha * sigmoid(u[1]);
        double phi = 0.8 + 0.2 * sigmoid(u[2]);
        double g1 = u.length > 3 ? (1 - alpha) * sigmoid(u[3]) : 0;
        double g2 = u.length > 4 ? (1 - alpha) * sigmoid(u[4]) : 0;
        return new Params(alpha, beta, g1, g2, phi, m1, m2, l0, b0, s1, s2);
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    /** The running state: level, trend, seasonal arrays (copied from the fitted start). */
    static final class State implements OnlineState {
        private final Params p;
        private final int[] hs;
        private final double[] s1;
        private final double[] s2;
        private double level;
        private double trend;
        private long t;

        State(Params p, int[] hs) {
            this.p = p;
            this.hs = hs;
            this.s1 = p.season1().clone();
            this.s2 = p.season2().clone();
            this.level = p.level0();
            this.trend = p.trend0();
        }

        private double season(long idx) {
            double s = 0;
            if (p.m1() > 0) {
                s += s1[(int) (idx % p.m1())];
            }
            if (p.m2() > 0) {
                s += s2[(int) (idx % p.m2())];
            }
            return s;
        }

        @Override
        public void observe(double z) {
            double phiB = p.phi() * trend;
            double e = z - (level + phiB + season(t));
            level = level + phiB + p.alpha() * e;
            trend = phiB + p.beta() * e;
            if (p.m1() > 0) {
                s1[(int) (t % p.m1())] += p.gammaDaily() * e;
            }
            if (p.m2() > 0) {
                s2[(int) (t % p.m2())] += p.gammaWeekly() * e;
            }
            t++;
        }

        @Override
        public void forecast(double[] out) {
            // after observing z[0..t-1], horizon h targets index t-1+h
            for (int k = 0; k < hs.length; k++) {
                int h = hs[k];
                double damp = 0;
                double ph = 1;
                for (int i = 1; i <= h; i++) {
                    ph *= p.phi();
                    damp += ph;
                }
                out[k] = level + damp * trend + season(t - 1 + h);
            }
        }
    }
}
