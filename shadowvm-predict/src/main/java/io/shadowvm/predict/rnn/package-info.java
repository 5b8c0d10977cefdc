/**
 * The recurrent congestion model (GRU or LSTM) on DJL's PyTorch engine. One global network is trained
 * across all series of a dataset (each normalized on its own training part), with a window of past values,
 * time-of-day/day-of-week encodings, a day-ago channel, the series' threshold and an optional exogenous
 * aggregate; it outputs direct forecasts for every horizon and an exceedance logit per horizon.
 *
 * <p>The engine is used offline only: {@link io.shadowvm.predict.rnn.DjlRuntime} sets {@code ai.djl.offline}
 * and the native libraries come from the bundled {@code pytorch-native-cpu} and {@code pytorch-jni} jars.
 */
package io.shadowvm.predict.rnn;
