package io.shadowvm.controller.interim;

import io.shadowvm.controller.loop.CongestionScorer;
import java.util.HashMap;
import java.util.Map;

/**
 * Per link: an exponentially weighted level and trend of utilization (Holt's linear method with fixed
 * smoothing), extrapolated {@code horizonMs} ahead; the score is a logistic of the distance between that
 * forecast and the threshold, so it rises before the utilization crosses it when the trend points up.
 * Not fitted to any data. No longer the controller's default (that is {@code PredictorScorer.shipped}, the
 * trained model); kept as a cheap deterministic scorer for the loop's unit tests and the tick benchmark.
 */
public final class TrendScorer implements CongestionScorer {
    private final double threshold;
    private final long horizonMs;
    private final double alpha;
    private final double beta;
    private final double width;
    private final Map<String, State> links = new HashMap<>();

    private static final class State {
        double level;
        double trendPerMs;
        long lastMs;
        double last;
        boolean started;
    }

    /** Threshold 0.8 of capacity, horizon 5 s, alpha 0.5, beta 0.3, logistic width 0.05. */
    public TrendScorer() {
        this(0.8, 5_000, 0.5, 0.3, 0.05);
    }

    public TrendScorer(double threshold, long horizonMs, double alpha, double beta, double width) {
        this.threshold = threshold;
        this.horizonMs = horizonMs;
        this.alpha = alpha;
        this.beta = beta;
        this.width = width;
    }

    @Override
    public void observe(String link, long atMs, double utilization) {
        State s = links.computeIfAbsent(link, k -> new State());
        if (!s.started) {
            s.level = utilization;
            s.lastMs = atMs;
            s.started = true;
        } else if (atMs > s.lastMs) {
            long dt = atMs - s.lastMs;
            double prevLevel = s.level;
            s.level = alpha * utilization + (1 - alpha) * (s.level + s.trendPerMs * dt);
            s.trendPerMs = beta * (s.level - prevLevel) / dt + (1 - beta) * s.trendPerMs;
            s.lastMs = atMs;
        }
        s.last = utilization;
    }

    @Override
    public double score(String link, long nowMs) {
        State s = links.get(link);
        if (s == null) {
            return 0;
        }
        double forecast = s.level + Math.max(0, s.trendPerMs) * horizonMs;
        forecast = Math.max(forecast, s.level);
        double z = (forecast - threshold) / width;
        return 1.0 / (1.0 + Math.exp(-z));
    }

    @Override
    public double lastUtilization(String link) {
        State s = links.get(link);
        return s == null ? Double.NaN : s.last;
    }

    @Override
    public String describe() {
        return "interim Holt-trend scorer, threshold " + threshold + ", horizon " + horizonMs
            + " ms (interim, not fitted)";
    }
}
