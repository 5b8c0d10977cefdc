package io.shadowvm.controller.loop;

/**
 * The loop's port to the predictor: per link ("h1-r1", "r1-spine"), utilization samples in, a congestion
 * score in [0, 1] (probability the link crosses its threshold within the horizon) out. Single-threaded.
 */
public interface CongestionScorer {
    /** A utilization sample in [0, 1] of {@code link} at {@code atMs}. */
    void observe(String link, long atMs, double utilization);

    /** The score of {@code link} as of {@code nowMs}; 0 for a link never observed. */
    double score(String link, long nowMs);

    /** The newest utilization seen on {@code link}, or NaN. */
    double lastUtilization(String link);

    String describe();
}
