package io.shadowvm.predict.model;

import java.util.ArrayList;
import java.util.List;

/**
 * AR(p) with an intercept and, when the daily period m is known, seasonal terms at lags m and m+1 of the
 * target: {@code z[t+1] = c + sum_i a_i z[t+1-i] + s_0 z[t+1-m] + s_1 z[t-m]}. Coefficients by least squares
 * on the training part; multi-step forecasts by iterating the one-step equation. The order p (1 to 48) and
 * the seasonal terms are chosen per horizon on validation MSE.
 */
public final class Autoregressive implements Forecaster {
    static final int[] ORDERS = {1, 2, 3, 4, 6, 8, 12, 16, 24, 36, 48};

    @Override
    public String name() {
        return "ar";
    }

    /** One fitted equation. {@code m == 0} means no seasonal terms. */
    record Equation(int p, int m, double c, double[] a, double s0, double s1) {
        int span() {
            return Math.max(p, m > 0 ? m + 1 : 0);
        }

        String describe() {
            return "p=" + p + (m > 0 ? "+s" + m : "");
        }
    }

    @Override
    public FittedForecaster fit(FitContext ctx) {
        int n = ctx.nTrain();
        int m = ctx.dailyPeriod();
        List<Equation> candidates = new ArrayList<>();
        for (int p : ORDERS) {
            if (p + 2 > n / 4) {
                continue;
            }
            candidates.add(fitEquation(ctx.z(), n, p, 0));
            if (m > 0 && n > 3 * (m + 1) + p) {
                candidates.add(fitEquation(ctx.z(), n, p, m));
            }
        }
        if (candidates.isEmpty()) {
            candidates.add(fitEquation(ctx.z(), n, 1, 0));
        }
        int[] hs = ctx.horizons();
        Equation[] chosen = new Equation[hs.length];
        double[] bestMse = new double[hs.length];
        java.util.Arrays.fill(bestMse, Double.POSITIVE_INFINITY);
        for (Equation eq : candidates) {
            Equation[] same = new Equation[hs.length];
            java.util.Arrays.fill(same, eq);
            double[] mse = Validation.mse(fitted(same, hs), ctx);
            for (int k = 0; k < hs.length; k++) {
                if (mse[k] < bestMse[k]) {
                    bestMse[k] = mse[k];
                    chosen[k] = eq;
                }
            }
        }
        for (int k = 0; k < hs.length; k++) {
            if (chosen[k] == null) {
                chosen[k] = candidates.get(0);
            }
        }
        return fitted(chosen, hs.clone());
    }

    /** Least-squares fit of one equation on {@code z[0..n)} (also used by tests). */
    static Equation fitEquation(double[] z, int n, int p, int m) {
        int k = 1 + p + (m > 0 ? 2 : 0);
        LeastSquares.Accumulator acc = new LeastSquares.Accumulator(k);
        double[] x = new double[k];
        int first = Math.max(p, m > 0 ? m + 1 : 0);
        for (int target = first; target < n; target++) {
            x[0] = 1;
            for (int i = 1; i <= p; i++) {
                x[i] = z[target - i];
            }
            if (m > 0) {
                x[p + 1] = z[target - m];
                x[p + 2] = z[target - m - 1];
            }
            acc.add(x, z[target]);
        }
        double[] b = acc.solve();
        double[] a = java.util.Arrays.copyOfRange(b, 1, 1 + p);
        return new Equation(p, m, b[0], a, m > 0 ? b[p + 1] : 0, m > 0 ? b[p + 2] : 0);
    }

    static FittedForecaster fitted(Equation[] eqs, int[] hs) {
        int span = 1;
        int maxH = 1;
        for (int k = 0; k < eqs.length; k++) {
            span = Math.max(span, eqs[k].span());
            maxH = Math.max(maxH, hs[k]);
        }
        int spanF = span;
        int maxHF = maxH;
        return new FittedForecaster() {
            @Override
            public OnlineState start() {
                History hist = new History(spanF + 2);
                double[] ahead = new double[maxHF + 1];
                return new OnlineState() {
                    @Override
                    public void observe(double z) {
                        hist.add(z);
                    }

                    /** Value at offset {@code j} relative to the newest (j <= 0: history, j > 0: forecast). */
                    private double v(int j) {
                        return j <= 0 ? hist.get(-j) : ahead[j];
                    }

                    @Override
                    public void forecast(double[] out) {
                        for (int k = 0; k < eqs.length; k++) {
                            Equation e = eqs[k];
                            for (int j = 1; j <= hs[k]; j++) {
                                double y = e.c();
                                double[] a = e.a();
                                for (int i = 1; i <= e.p(); i++) {
                                    y += a[i - 1] * v(j - i);
                                }
                                if (e.m() > 0) {
                                    y += e.s0() * v(j - e.m()) + e.s1() * v(j - e.m() - 1);
                                }
                                ahead[j] = y;
                            }
                            out[k] = ahead[hs[k]];
                        }
                    }
                };
            }

            @Override
            public String describe() {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < eqs.length; k++) {
                    sb.append(k == 0 ? "" : "/").append(eqs[k].describe());
                }
                return sb.toString();
            }

            @Override
            public int warmUp() {
                return spanF;
            }
        };
    }
}
