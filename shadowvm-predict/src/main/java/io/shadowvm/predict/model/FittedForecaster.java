package io.shadowvm.predict.model;

/** A forecaster with its parameters fixed; {@link #start()} gives a fresh state at time index 0. */
public interface FittedForecaster {
    OnlineState start();

    /** The chosen parameters, one line (for tables and manifests). */
    String describe();

    /** How many values the state needs before its forecasts mean anything. */
    default int warmUp() {
        return 1;
    }
}
