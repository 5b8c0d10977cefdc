package io.shadowvm.predict.model;

/**
 * A fitted model that forecasts many origins at once (the recurrent model batches them through the
 * network). For every origin {@code t in [from, to)} it may read {@code z[0..t]} only.
 */
public interface BatchForecaster {
    /**
     * @param z    the series (the implementation reads {@code z[0..t]} for origin t)
     * @param exogenous the aligned exogenous series, read likewise up to t, or {@code null}
     * @return {@code forecast[k][t - from]}, and {@code rawProbability[k][t - from]} (the model's own,
     *     uncalibrated {@code P(z[t+h_k] > thr)}) or {@code null} when the model has no probability head
     */
    Result forecastOrigins(double[] z, double[] exogenous, int from, int to);

    record Result(double[][] forecast, double[][] rawProbability) {
    }
}
