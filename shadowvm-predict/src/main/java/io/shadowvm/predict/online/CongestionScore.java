package io.shadowvm.predict.online;

/**
 * One path's score at one tick: per horizon, the probability of crossing the threshold and the forecast
 * (in the path's raw units), and where the score came from.
 */
public record CongestionScore(String path, int[] horizons, double[] probability, double[] forecast, ScoreSource source) {
    /** The congestion score of the DESIGN: probability of crossing within the horizon index {@code k}. */
    public double probabilityAt(int k) {
        return probability[k];
    }

    public boolean fallback() {
        return source != ScoreSource.MODEL;
    }
}
