package io.shadowvm.predict.model;

import java.util.Arrays;

/** The last value, for every horizon. */
public final class Persistence implements Forecaster {
    @Override
    public String name() {
        return "persistence";
    }

    @Override
    public FittedForecaster fit(FitContext ctx) {
        return fitted();
    }

    static FittedForecaster fitted() {
        return new FittedForecaster() {
            @Override
            public OnlineState start() {
                return new OnlineState() {
                    private double last;

                    @Override
                    public void observe(double z) {
                        last = z;
                    }

                    @Override
                    public void forecast(double[] out) {
                        Arrays.fill(out, last);
                    }
                };
            }

            @Override
            public String describe() {
                return "last value";
            }
        };
    }
}
