package io.shadowvm.predict.model;

/**
 * A fitted model that brings its own probability calibration (e.g. a network trained on other data, used as
 * shipped): the evaluator applies it to the model's raw probabilities instead of fitting one on the series'
 * validation part, so the scores are what the model gives out of the box.
 */
public interface PreCalibrated {
    /** The calibrated probability for horizon index {@code k} from the raw probability of the model's head. */
    double calibrated(int k, double rawProbability);
}
