package io.shadowvm.predict.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.shadowvm.predict.eval.HorizonMetrics;
import java.util.List;

/**
 * {@code manifest.json}. Unknown fields are rejected when reading (see {@link ModelArtifact}).
 *
 * @param formatVersion   {@link #FORMAT_VERSION}; bumped on any incompatible change
 * @param modelKind       {@code gru} or {@code lstm}
 * @param horizons        steps ahead of the outputs, ascending
 * @param inputs          window and channels the network reads
 * @param network         cell size and training configuration
 * @param deltaScale      per horizon: output k is {@code (z[t+h_k] - z[t]) / deltaScale[k]}
 * @param calibration     per horizon: Platt {@code (a, b)} applied to the probability head, pooled over the
 *                        training series' validation parts; and the pooled validation error std for fallbacks
 * @param series          normalization and threshold of every training series
 * @param trainingData    where the data came from and its SHA-256 (train+validation parts only)
 * @param metrics         test metrics of this model under the protocol
 * @param engine          engine name and version that trained it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(int formatVersion, String modelKind, int[] horizons, Inputs inputs, Network network,
                            double[] deltaScale, Calibration calibration, List<SeriesNorm> series, TrainingData trainingData,
                            List<HorizonMetrics> metrics, String engine) {
    public static final int FORMAT_VERSION = 1;

    /** What the network reads per step. */
    public record Inputs(int window, int channels, List<String> channelNames, boolean exogenous, long stepSec,
                         int dailyPeriod, boolean clock) {
    }

    /** Network and training settings. */
    public record Network(int hidden, int epochs, int bestEpoch, double validationMse, long seed, double learningRate,
                          int batchSize, double trainSeconds) {
    }

    /** {@link Calibration#event}: the head gives P(z[t+h] > thr) (also what a manifest without the field means). */
    public static final String EVENT_ABOVE = "above-at-h";
    /** {@link Calibration#event}: the head gives P(z[t+s] > thr for some s in 1..h), crossing within the horizon. */
    public static final String EVENT_CROSSING = "crossing-within-h";

    /**
     * Probability calibration and fallback error spread; {@code event} says what the probability is of
     * ({@link #EVENT_ABOVE} when absent).
     */
    public record Calibration(double[] plattA, double[] plattB, double[] validationErrorStd, double alarmCut, String event) {
        public String event() {
            return event == null ? EVENT_ABOVE : event;
        }
    }

    /** One training series: min-max of its training part and its threshold (normalized and raw). */
    public record SeriesNorm(String name, double min, double max, double threshold, double thresholdPercentile) {
    }

    /** Source of the training data and a digest of exactly the values the model was fitted/validated on. */
    public record TrainingData(String dataset, String description, int seriesCount, long points, String sha256) {
    }
}
