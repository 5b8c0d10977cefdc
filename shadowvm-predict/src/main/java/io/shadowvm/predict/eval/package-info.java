/**
 * The evaluation protocol of notes/prediction-protocol.md: 70/15/15 chronological split, min-max fitted on
 * train only, percentile threshold on train, rolling-origin forecasts on the test part with origin
 * {@code t = tau - h}, and the metrics (MAE/RMSE/MSE, precision/recall/F1, events, lead time, Brier).
 */
package io.shadowvm.predict.eval;
