/**
 * Forecasters: the baselines (persistence, EWMA, seasonal naive, Holt-Winters, AR(p)) and the residual
 * calibrator that turns any forecast into a congestion probability. A forecaster is fitted once on the
 * train+validation prefix ({@link io.shadowvm.predict.model.FitContext} never holds test values) and then
 * runs as an {@link io.shadowvm.predict.model.OnlineState} that sees one value at a time, so a forecast made
 * at time t cannot use anything after t.
 */
package io.shadowvm.predict.model;
