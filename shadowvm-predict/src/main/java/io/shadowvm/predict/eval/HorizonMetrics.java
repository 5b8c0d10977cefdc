package io.shadowvm.predict.eval;

/**
 * One row of the results: a model at one horizon over all test targets of a dataset (pooled over its
 * series). Errors are on the normalized scale. {@code leadTimeSteps} is NaN when no event was detected.
 *
 * @param events        number of test events (maximal runs of consecutive exceedances)
 * @param targets       number of test targets scored
 * @param positives     targets above the threshold
 */
public record HorizonMetrics(String model, int horizon, double mae, double rmse, double mse, double precision,
                             double recall, double f1, int events, double leadTimeSteps, double brier, long targets,
                             long positives) {
}
