package io.shadowvm.predict.model;

import java.util.ArrayList;
import java.util.List;

/** A forecasting method; {@link #fit} returns one fitted model per series. */
public interface Forecaster {
    /** The name used on the command line and in tables ({@code persistence}, {@code ar}, ...). */
    String name();

    /** Fits one series. */
    FittedForecaster fit(FitContext ctx);

    /** Fits many series; global models (the RNN) override this to share one model. */
    default List<FittedForecaster> fitAll(List<FitContext> series, ProgressListener progress) {
        List<FittedForecaster> out = new ArrayList<>(series.size());
        for (int i = 0; i < series.size(); i++) {
            out.add(fit(series.get(i)));
            progress.progress(name(), i + 1, series.size());
        }
        return out;
    }

    /** Reports training progress (the CLI draws a bar). */
    @FunctionalInterface
    interface ProgressListener {
        ProgressListener NONE = (stage, done, total) -> { };

        void progress(String stage, long done, long total);
    }
}
