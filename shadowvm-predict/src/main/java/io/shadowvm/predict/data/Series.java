package io.shadowvm.predict.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One time series of primitive doubles with a constant step. {@code startEpochSec} and {@code stepSec} are
 * {@code -1} and {@code 0} when the source has no clock (e.g. matrices without timestamps): then
 * time-of-day features and seasonal periods are unavailable.
 *
 * @param name          identifies the series inside its dataset (e.g. {@code "u_0_2"})
 * @param values        the values in time order (not copied; treat as read-only)
 * @param startEpochSec time of {@code values[0]} in Unix seconds, or -1 when unknown
 * @param stepSec       the constant step in seconds, or 0 when unknown
 * @param filledPoints  how many values a loader interpolated (gaps, duplicates resolved)
 */
public record Series(String name, double[] values, long startEpochSec, long stepSec, int filledPoints) {
    public Series {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
        if (stepSec < 0) {
            throw new IllegalArgumentException("stepSec: " + stepSec + " (expected: >= 0)");
        }
    }

    /** A series without a clock. */
    public static Series untimed(String name, double[] values) {
        return new Series(name, values, -1, 0, 0);
    }

    public int length() {
        return values.length;
    }

    public boolean hasClock() {
        return stepSec > 0 && startEpochSec >= 0;
    }

    /** Unix seconds of sample {@code i}, or -1 without a clock. */
    public long epochSecAt(int i) {
        return hasClock() ? startEpochSec + i * stepSec : -1;
    }

    /** Samples per day when the step divides a day and at least 2 samples fit; 0 otherwise. */
    public int dailyPeriod() {
        return periodOf(86_400);
    }

    /** Samples per week when the step divides a week; 0 otherwise. */
    public int weeklyPeriod() {
        return periodOf(7 * 86_400);
    }

    private int periodOf(long seconds) {
        if (stepSec <= 0 || seconds % stepSec != 0 || seconds / stepSec < 2) {
            return 0;
        }
        return (int) (seconds / stepSec);
    }

    public Series withName(String newName) {
        return new Series(newName, values, startEpochSec, stepSec, filledPoints);
    }

    /**
     * The same values without a clock: no time of day, no daily or weekly period. A model fitted on such series
     * reads nothing but the values, so it applies at any step (the step-free representation of the online model).
     */
    public Series withoutClock() {
        return new Series(name, values, -1, 0, filledPoints);
    }

    /** The first {@code n} samples. */
    public Series head(int n) {
        return new Series(name, Arrays.copyOf(values, n), startEpochSec, stepSec, filledPoints);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && s.name.equals(name) && Arrays.equals(s.values, values)
            && s.startEpochSec == startEpochSec && s.stepSec == stepSec && s.filledPoints == filledPoints;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(values), startEpochSec, stepSec);
    }

    @Override
    public String toString() {
        return "Series[" + name + ", n=" + values.length + ", stepSec=" + stepSec + ", filled=" + filledPoints + "]";
    }
}
