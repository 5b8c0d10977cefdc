package io.shadowvm.predict.model;

/**
 * The value one season (a day) before the target: {@code z[t+h-m*ceil(h/m)]}. Without a known daily period
 * it is persistence (and says so in {@link FittedForecaster#describe()}).
 */
public final class SeasonalNaive implements Forecaster {
    @Override
    public String name() {
        return "seasonal-naive";
    }

    @Override
    public FittedForecaster fit(FitContext ctx) {
        int m = ctx.dailyPeriod();
        if (m <= 0 || m > ctx.nTrain()) {
            FittedForecaster p = Persistence.fitted();
            return new FittedForecaster() {
                @Override
                public OnlineState start() {
                    return p.start();
                }

                @Override
                public String describe() {
                    return "no daily period: last value";
                }
            };
        }
        int[] hs = ctx.horizons().clone();
        return new FittedForecaster() {
            @Override
            public OnlineState start() {
                History h = new History(m + 1);
                return new OnlineState() {
                    @Override
                    public void observe(double z) {
                        h.add(z);
                    }

                    @Override
                    public void forecast(double[] out) {
                        for (int k = 0; k < hs.length; k++) {
                            int back = m * ((hs[k] + m - 1) / m);
                            out[k] = h.get(back - hs[k]);
                        }
                    }
                };
            }

            @Override
            public String describe() {
                return "m=" + m;
            }

            @Override
            public int warmUp() {
                return m;
            }
        };
    }
}
