package io.shadowvm.predict.eval;

import java.util.Arrays;

/** Percentiles with linear interpolation between order statistics (numpy's default "linear" method). */
public final class Percentile {
    private Percentile() {
    }

    /** The {@code p}-th percentile (0..100) of {@code x[0..n)}. */
    public static double of(double[] x, int n, double p) {
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile: " + p + " (expected: 0-100)");
        }
        if (n <= 0) {
            throw new IllegalArgumentException("percentile of " + n + " values (expected: at least 1)");
        }
        double[] s = Arrays.copyOf(x, n);
        Arrays.sort(s);
        double pos = p / 100.0 * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, n - 1);
        double w = pos - lo;
        return s[lo] + w * (s[hi] - s[lo]);
    }
}
