package io.shadowvm.predict.model;

/**
 * A fitted forecaster running through one series, one value at a time. After {@code observe} of
 * {@code z[0..t]}, {@code forecast} writes the forecast of {@code z[t + horizons[k]]} into {@code out[k]}.
 * Implementations do not allocate in {@code observe} or {@code forecast}.
 */
public interface OnlineState {
    void observe(double z);

    void forecast(double[] out);
}
