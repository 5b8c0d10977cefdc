package io.shadowvm.predict.model;

import java.util.Objects;

/**
 * What a forecaster may see when it is fitted: the normalized train+validation prefix of one series.
 * Parameters are fitted on {@code z[0..nTrain)}; hyper-parameters are chosen on {@code z[nTrain..z.length)}.
 *
 * @param seriesName    for messages and the manifest
 * @param z             normalized values, train then validation (never test)
 * @param nTrain        length of the training part
 * @param horizons      the horizons (steps ahead) to forecast, ascending
 * @param dailyPeriod   samples per day, or 0 when unknown
 * @param weeklyPeriod  samples per week, or 0 when unknown
 * @param startEpochSec time of z[0], or -1 when the series has no clock
 * @param stepSec       step in seconds, or 0 when unknown
 * @param threshold     the congestion threshold on the normalized scale
 * @param exogenous     an aligned exogenous series over the same prefix (the mean of the dataset's other
 *                      normalized series), or {@code null}; only the recurrent model reads it
 */
public record FitContext(String seriesName, double[] z, int nTrain, int[] horizons, int dailyPeriod, int weeklyPeriod,
                         long startEpochSec, long stepSec, double threshold, double[] exogenous) {
    public FitContext {
        Objects.requireNonNull(z, "z");
        if (nTrain < 2 || nTrain > z.length) {
            throw new IllegalArgumentException("nTrain: " + nTrain + " (expected: 2-" + z.length + ")");
        }
        if (exogenous != null && exogenous.length != z.length) {
            throw new IllegalArgumentException("exogenous length " + exogenous.length + " (expected: " + z.length + ")");
        }
        if (horizons.length == 0) {
            throw new IllegalArgumentException("horizons: none (expected: at least one)");
        }
    }

    public int nVal() {
        return z.length - nTrain;
    }

    public int maxHorizon() {
        return horizons[horizons.length - 1];
    }
}
