/**
 * The online scorer the controller and the simulator call every tick:
 * {@link io.shadowvm.predict.online.CongestionPredictor} keeps a bounded history per path, runs the
 * recurrent model over all paths with enough clean history in one batch, and falls back to a baseline
 * (persistence with the model's validation error spread) for paths with short or gappy history, saying so
 * in {@link io.shadowvm.predict.online.ScoreSource}. One thread owns a predictor.
 */
package io.shadowvm.predict.online;
