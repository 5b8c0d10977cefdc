package io.shadowvm.predict.data;

import java.util.Arrays;

/** Puts timestamped samples on a constant grid (see {@link CsvSeriesLoader}). */
final class Resampler {
    private Resampler() {
    }

    /** Sampling intervals that loggers use, in seconds (1 s .. 1 day). */
    private static final long[] COMMON_STEPS = {1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600,
        7200, 10800, 21600, 43200, 86400};

    /**
     * The grid step: the median positive step, snapped to the nearest common sampling interval when within
     * 20% of it (duplicated or jittered rows pull the median below the logger's real interval).
     */
    static long gridStep(long[] sortedTimes) {
        long median = medianStep(sortedTimes);
        long best = median;
        double bestRatio = Double.POSITIVE_INFINITY;
        for (long c : COMMON_STEPS) {
            double r = Math.abs(Math.log((double) median / c));
            if (r < bestRatio) {
                bestRatio = r;
                best = c;
            }
        }
        return median > 0 && Math.abs((double) median / best - 1) <= 0.2 ? best : median;
    }

    /** The median of the positive differences between consecutive sorted times. */
    static long medianStep(long[] sortedTimes) {
        long[] d = new long[sortedTimes.length - 1];
        int k = 0;
        for (int i = 1; i < sortedTimes.length; i++) {
            long diff = sortedTimes[i] - sortedTimes[i - 1];
            if (diff > 0) {
                d[k++] = diff;
            }
        }
        if (k == 0) {
            return 0;
        }
        Arrays.sort(d, 0, k);
        return d[k / 2];
    }

    static Series toGrid(String file, String name, long[] times, double[] values) {
        int n = times.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = times[order[i]];
            v[i] = values[order[i]];
        }
        long step = gridStep(t);
        if (step <= 0) {
            throw new DataFormatException(file + ": column '" + name + "': all " + n + " rows have the same timestamp");
        }
        long t0 = t[0];
        long slots = (t[n - 1] - t0 + step / 2) / step + 1;
        if (slots > (long) n * 4 + MAX_SLOTS_SLACK) {
            throw new DataFormatException(file + ": column '" + name + "': timestamps span " + slots
                + " steps of " + step + " s for " + n + " rows (expected: at most " + (n * 4L + MAX_SLOTS_SLACK)
                + "); the series is too gappy");
        }
        double[] sum = new double[(int) slots];
        int[] count = new int[(int) slots];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(v[i])) {
                continue;
            }
            int slot = (int) ((t[i] - t0 + step / 2) / step);
            sum[slot] += v[i];
            count[slot]++;
        }
        double[] out = new double[(int) slots];
        int filled = 0;
        int prev = -1;
        for (int s = 0; s < slots; s++) {
            if (count[s] > 0) {
                out[s] = sum[s] / count[s];
                if (prev >= 0 && s - prev > 1) {
                    if (s - prev - 1 > CsvSeriesLoader.MAX_GAP_STEPS) {
                        throw new DataFormatException(file + ": column '" + name + "': a gap of " + (s - prev - 1)
                            + " steps (expected: at most " + CsvSeriesLoader.MAX_GAP_STEPS + ")");
                    }
                    for (int g = prev + 1; g < s; g++) {
                        double w = (double) (g - prev) / (s - prev);
                        out[g] = out[prev] * (1 - w) + out[s] * w;
                        filled++;
                    }
                }
                prev = s;
            }
        }
        int first = 0;
        while (count[first] == 0) {
            first++;
        }
        int last = (int) slots - 1;
        while (count[last] == 0) {
            last--;
        }
        double[] trimmed = Arrays.copyOfRange(out, first, last + 1);
        return new Series(name, trimmed, t0 + first * step, step, filled);
    }

    private static final long MAX_SLOTS_SLACK = 1_000;
}
