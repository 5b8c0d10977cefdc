package io.shadowvm.predict.model;

import java.util.Locale;

/**
 * Exponentially weighted moving average {@code l = a z + (1-a) l}, forecast {@code l} for every horizon.
 * The smoothing factor is fitted per horizon on validation MSE: a grid over (0, 1], then golden-section
 * refinement around the best grid point.
 */
public final class Ewma implements Forecaster {
    private static final double[] GRID = {0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};

    @Override
    public String name() {
        return "ewma";
    }

    @Override
    public FittedForecaster fit(FitContext ctx) {
        int[] hs = ctx.horizons();
        double[] alphas = new double[hs.length];
        for (int k = 0; k < hs.length; k++) {
            int kk = k;
            java.util.function.DoubleUnaryOperator loss = a -> Validation.mse(fixed(a, hs.length), ctx)[kk];
            int best = 0;
            double bestLoss = Double.POSITIVE_INFINITY;
            for (int i = 0; i < GRID.length; i++) {
                double l = loss.applyAsDouble(GRID[i]);
                if (l < bestLoss) {
                    bestLoss = l;
                    best = i;
                }
            }
            double lo = best == 0 ? GRID[0] / 2 : GRID[best - 1];
            double hi = best == GRID.length - 1 ? 1.0 : GRID[best + 1];
            alphas[k] = GoldenSection.minimize(loss, lo, hi, 1e-4, GRID[best], bestLoss);
        }
        return of(alphas);
    }

    private static FittedForecaster fixed(double a, int n) {
        double[] as = new double[n];
        java.util.Arrays.fill(as, a);
        return of(as);
    }

    static FittedForecaster of(double[] alphas) {
        return new FittedForecaster() {
            @Override
            public OnlineState start() {
                return new OnlineState() {
                    private final double[] level = new double[alphas.length];
                    private boolean first = true;

                    @Override
                    public void observe(double z) {
                        for (int k = 0; k < alphas.length; k++) {
                            level[k] = first ? z : alphas[k] * z + (1 - alphas[k]) * level[k];
                        }
                        first = false;
                    }

                    @Override
                    public void forecast(double[] out) {
                        System.arraycopy(level, 0, out, 0, alphas.length);
                    }
                };
            }

            @Override
            public String describe() {
                StringBuilder sb = new StringBuilder("alpha=");
                for (int k = 0; k < alphas.length; k++) {
                    sb.append(k == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.3f", alphas[k]));
                }
                return sb.toString();
            }
        };
    }
}
