package io.shadowvm.monitor.series;

/**
 * One metric's history: the newest points at full resolution ({@link #raw()}) and three rollup levels,
 * 1 s → 1 min → 5 min ({@link #seconds()}, {@link #minutes()}, {@link #fiveMinutes()}). Recording a point is
 * O(1) and allocation-free. Timestamps are epoch milliseconds from the caller's (injected) clock.
 */
public final class MetricSeries {
    public static final long SECOND_MS = 1_000;
    public static final long MINUTE_MS = 60_000;
    public static final long FIVE_MINUTES_MS = 300_000;

    private final String name;
    private final RingSeries raw;
    private final RollupSeries seconds;
    private final RollupSeries minutes;
    private final RollupSeries fiveMinutes;

    public MetricSeries(String name, Capacity capacity) {
        this.name = name;
        this.raw = new RingSeries(capacity.rawPoints());
        this.fiveMinutes = new RollupSeries(FIVE_MINUTES_MS, capacity.fiveMinuteBuckets(), null);
        this.minutes = new RollupSeries(MINUTE_MS, capacity.minuteBuckets(), fiveMinutes);
        this.seconds = new RollupSeries(SECOND_MS, capacity.secondBuckets(), minutes);
    }

    /** Records a point; returns false when it is older than the newest one (it is then dropped). */
    public boolean record(long timestampMs, double value) {
        if (!raw.append(timestampMs, value)) {
            return false;
        }
        seconds.add(timestampMs, value);
        return true;
    }

    /** Lets time close rollup buckets even when no point arrives (call on every tick). */
    public void advanceTo(long nowMs) {
        seconds.advanceTo(nowMs);
    }

    public String name() {
        return name;
    }

    public RingSeries raw() {
        return raw;
    }

    public RollupSeries seconds() {
        return seconds;
    }

    public RollupSeries minutes() {
        return minutes;
    }

    public RollupSeries fiveMinutes() {
        return fiveMinutes;
    }

    /**
     * How many points or buckets each level keeps. {@link #DEFAULT}: 1,024 raw points, 5 min of seconds,
     * 2 h of minutes, 1 day of 5-minute buckets (about 45 KiB per metric).
     */
    public record Capacity(int rawPoints, int secondBuckets, int minuteBuckets, int fiveMinuteBuckets) {
        public static final Capacity DEFAULT = new Capacity(1_024, 300, 120, 288);
        /** For per-peer series in a large mesh: about 8 KiB per metric. */
        public static final Capacity COMPACT = new Capacity(128, 60, 60, 48);

        public Capacity {
            check("raw points", rawPoints);
            check("second buckets", secondBuckets);
            check("minute buckets", minuteBuckets);
            check("5-minute buckets", fiveMinuteBuckets);
        }

        private static void check(String what, int v) {
            if (v < 1 || v > (1 << 24)) {
                throw new IllegalArgumentException("invalid " + what + ": " + v + " (expected: 1-16777216)");
            }
        }
    }
}
