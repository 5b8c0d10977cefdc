package io.shadowvm.predict.online;

/**
 * How to read one path's raw samples: {@code z = (x - min) / (max - min)}, congested when {@code z > threshold}.
 * With a known capacity use {@link #ofCapacity}: utilization in [0, capacity], threshold a share of it.
 */
public record PathSpec(String name, double min, double max, double threshold) {
    public PathSpec {
        if (!(max > min)) {
            throw new IllegalArgumentException("path " + name + ": max " + max + " (expected: > min " + min + ")");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("path " + name + ": threshold " + threshold + " (expected: finite)");
        }
    }

    /** Raw samples are in [0, capacity]; congested above {@code share * capacity} (e.g. 0.8). */
    public static PathSpec ofCapacity(String name, double capacity, double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("path " + name + ": threshold share " + share + " (expected: 0 < share <= 1)");
        }
        return new PathSpec(name, 0, capacity, share);
    }
}
