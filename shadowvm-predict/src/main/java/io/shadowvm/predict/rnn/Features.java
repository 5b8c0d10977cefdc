package io.shadowvm.predict.rnn;

/**
 * The per-step input of the network for one series. Channels, at window position i (origin t, i in
 * [t-W+1, t], clamped at 0):
 * <pre>
 *  0  z[i]
 *  1  sin(2 pi time-of-day(i))     2  cos(...)          (0 without a clock)
 *  3  sin(2 pi day-of-week(i))     4  cos(...)          (0 without a clock)
 *  5  z[i + H - m]: the value one day before i + H, H = largest horizon, m = daily period
 *     (z[i] when m is unknown, m <= H, or the index is negative)
 *  6  the series' congestion threshold (normalized)
 *  7  exogenous[i] (only when the model was trained with an exogenous input)
 * </pre>
 * Every channel at position i reads indices at most i, and i is at most the origin t.
 */
public final class Features {
    public static final int BASE_CHANNELS = 7;

    private final long startEpochSec;
    private final long stepSec;
    private final int seasonShift;
    private final double threshold;
    private final boolean exogenous;

    /**
     * @param maxHorizon  H above
     * @param dailyPeriod m above, 0 when unknown
     */
    public Features(long startEpochSec, long stepSec, int dailyPeriod, int maxHorizon, double threshold, boolean exogenous) {
        this.startEpochSec = startEpochSec;
        this.stepSec = stepSec;
        this.seasonShift = dailyPeriod > maxHorizon ? dailyPeriod - maxHorizon : 0;
        this.threshold = threshold;
        this.exogenous = exogenous;
    }

    public static int channels(boolean exogenous) {
        return BASE_CHANNELS + (exogenous ? 1 : 0);
    }

    public int channels() {
        return channels(exogenous);
    }

    /** How many values before the window the day-ago channel reaches back. */
    public int lookBack() {
        return seasonShift;
    }

    public long stepSec() {
        return stepSec;
    }

    public boolean hasClock() {
        return stepSec > 0 && startEpochSec >= 0;
    }

    /**
     * Writes the window ending at origin {@code t} into {@code dst[off .. off + window*channels)}.
     * {@code value(i)} / {@code exo(i)} give the (normalized) series at absolute index i.
     */
    public void fill(float[] dst, int off, int window, long t, IndexedValues value, IndexedValues exo) {
        fill(dst, off, window, t, value, exo, startEpochSec);
    }

    /**
     * The four clock channels (sin/cos time of day, sin/cos day of week) of each window position for a window
     * whose last position is at {@code originEpochSec}; written to {@code clock[w*4 .. w*4+3]}. Paths that share
     * a tick share these, so the online predictor computes them once per tick.
     */
    public void clockChannels(long originEpochSec, int window, float[] clock) {
        for (int w = 0; w < window; w++) {
            long epoch = originEpochSec - (long) (window - 1 - w) * stepSec;
            double tod = Math.floorMod(epoch, 86_400L) / 86_400.0;
            double dow = Math.floorMod(epoch + 3 * 86_400L, 7 * 86_400L) / (7 * 86_400.0);
            clock[w * 4] = (float) Math.sin(2 * Math.PI * tod);
            clock[w * 4 + 1] = (float) Math.cos(2 * Math.PI * tod);
            clock[w * 4 + 2] = (float) Math.sin(2 * Math.PI * dow);
            clock[w * 4 + 3] = (float) Math.cos(2 * Math.PI * dow);
        }
    }

    /**
     * As {@link #fill}, with the clock channels precomputed by {@link #clockChannels} (or {@code null} for no clock).
     * Positions before index 0 are clamped to index 0 for values, as in {@link #fill}; the clock of a clamped
     * position is its own (the difference matters only in the first {@code window} samples of a path, which the
     * online predictor never sends to the model).
     */
    public void fillShared(float[] dst, int off, int window, long t, IndexedValues value, IndexedValues exo, float[] clock) {
        int c = channels();
        for (int w = 0; w < window; w++) {
            long i = Math.max(0, t - window + 1 + w);
            int o = off + w * c;
            double zi = value.at(i);
            dst[o] = (float) zi;
            if (clock != null && hasClock()) {
                dst[o + 1] = clock[w * 4];
                dst[o + 2] = clock[w * 4 + 1];
                dst[o + 3] = clock[w * 4 + 2];
                dst[o + 4] = clock[w * 4 + 3];
            } else {
                dst[o + 1] = 0;
                dst[o + 2] = 0;
                dst[o + 3] = 0;
                dst[o + 4] = 0;
            }
            long j = i - seasonShift;
            dst[o + 5] = (float) (seasonShift > 0 && j >= 0 ? value.at(j) : zi);
            dst[o + 6] = (float) threshold;
            if (exogenous) {
                dst[o + 7] = exo == null ? 0f : (float) exo.at(i);
            }
        }
    }

    /** As above, with the clock given as the time of index 0 (online paths keep their own clock). */
    public void fill(float[] dst, int off, int window, long t, IndexedValues value, IndexedValues exo, long startEpochSec) {
        int c = channels();
        for (int w = 0; w < window; w++) {
            long i = Math.max(0, t - window + 1 + w);
            int o = off + w * c;
            double zi = value.at(i);
            dst[o] = (float) zi;
            if (stepSec > 0 && startEpochSec >= 0 && this.startEpochSec >= 0) {
                long epoch = startEpochSec + i * stepSec;
                double tod = Math.floorMod(epoch, 86_400L) / 86_400.0;
                // 1970-01-01 was a Thursday; shift so that 0 is Monday 00:00
                double dow = Math.floorMod(epoch + 3 * 86_400L, 7 * 86_400L) / (7 * 86_400.0);
                dst[o + 1] = (float) Math.sin(2 * Math.PI * tod);
                dst[o + 2] = (float) Math.cos(2 * Math.PI * tod);
                dst[o + 3] = (float) Math.sin(2 * Math.PI * dow);
                dst[o + 4] = (float) Math.cos(2 * Math.PI * dow);
            } else {
                dst[o + 1] = 0;
                dst[o + 2] = 0;
                dst[o + 3] = 0;
                dst[o + 4] = 0;
            }
            long j = i - seasonShift;
            dst[o + 5] = (float) (seasonShift > 0 && j >= 0 ? value.at(j) : zi);
            dst[o + 6] = (float) threshold;
            if (exogenous) {
                dst[o + 7] = exo == null ? 0f : (float) exo.at(i);
            }
        }
    }

    /** Random access to a series by absolute index. */
    @FunctionalInterface
    public interface IndexedValues {
        double at(long index);

        static IndexedValues of(double[] a) {
            return a == null ? null : i -> a[(int) i];
        }
    }
}
