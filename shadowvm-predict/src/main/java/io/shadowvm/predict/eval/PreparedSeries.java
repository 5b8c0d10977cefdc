package io.shadowvm.predict.eval;

import io.shadowvm.predict.data.Series;
import io.shadowvm.predict.model.FitContext;
import java.util.Arrays;

/**
 * One series made ready for the protocol: split, normalization fitted on train, threshold on train.
 * {@link #fitContext} hands the models a copy of the train+validation prefix only; the test values stay here
 * and are read only by the scoring loop.
 */
public final class PreparedSeries {
    private final Series series;
    private final Split split;
    private final MinMax norm;
    private final double threshold;
    private final double[] z;
    private double[] exogenous;

    public PreparedSeries(Series series, double thresholdPercentile) {
        this(series, thresholdPercentile, null);
    }

    /** With {@code pooled} non-null, that normalization (fitted on the training parts of a set) instead of the series' own. */
    public PreparedSeries(Series series, double thresholdPercentile, MinMax pooled) {
        this(series, thresholdPercentile, pooled, Double.NaN);
    }

    /**
     * With {@code rawThreshold} finite, the threshold is that raw value on the series' normalized scale (e.g. 0.8
     * of capacity for a utilization series, the controller's threshold) instead of a percentile of the train part.
     */
    public PreparedSeries(Series series, double thresholdPercentile, MinMax pooled, double rawThreshold) {
        this.series = series;
        this.split = Split.of(series.length());
        this.norm = pooled != null ? pooled : MinMax.fit(series.values(), split.nTrain());
        this.z = norm.apply(series.values());
        this.threshold = Double.isFinite(rawThreshold) ? (rawThreshold - norm.min()) / (norm.max() - norm.min())
            : Percentile.of(z, split.nTrain(), thresholdPercentile);
    }

    public Series series() {
        return series;
    }

    public Split split() {
        return split;
    }

    public MinMax normalization() {
        return norm;
    }

    public double threshold() {
        return threshold;
    }

    /** The normalized series including the test part: for the scoring loop only. */
    double[] zAll() {
        return z;
    }

    public FitContext fitContext(int[] horizons) {
        return new FitContext(series.name(), Arrays.copyOf(z, split.testStart()), split.nTrain(), horizons,
            series.dailyPeriod(), series.weeklyPeriod(), series.startEpochSec(), series.stepSec(), threshold,
            exogenous == null ? null : Arrays.copyOf(exogenous, split.testStart()));
    }

    /** Sets the aligned exogenous series (full length; the fit context gets its train+validation prefix). */
    void exogenous(double[] exo) {
        this.exogenous = exo;
    }

    double[] exogenousAll() {
        return exogenous;
    }
}
