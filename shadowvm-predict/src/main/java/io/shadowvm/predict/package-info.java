/**
 * The Predictive Congestion Algorithm (DESIGN.md 4.4): turns a path's utilization history into a forecast
 * and a congestion score, the calibrated probability that the path crosses its threshold within the horizon.
 *
 * <p>Sub-packages: {@code data} (series and dataset loaders), {@code eval} (the protocol of
 * notes/prediction-protocol.md), {@code model} (baselines and calibration), {@code rnn} (the DJL recurrent
 * model), {@code artifact} (saved models), {@code online} (the per-tick scorer). Nothing here talks to the
 * network or to other modules' state.
 */
package io.shadowvm.predict;
