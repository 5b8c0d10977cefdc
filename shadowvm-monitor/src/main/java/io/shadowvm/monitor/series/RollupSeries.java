package io.shadowvm.monitor.series;

/**
 * One downsampling level: points (or finer buckets) are aggregated into buckets of {@code widthMs}
 * aligned to multiples of the width, keeping min, max, sum and count; closed buckets go into a ring of
 * {@code capacity} and are forwarded to the next, coarser level. Buckets without points are not stored.
 *
 * <p>A bucket closes when a point of a later bucket arrives or when {@link #advanceTo(long)} passes its
 * end. Queries return closed buckets only; {@link #openCount()} tells whether a bucket is still filling.
 */
public final class RollupSeries {
    private final long widthMs;
    private final int capacity;
    private final RollupSeries next;
    private final long[] start;
    private final double[] min;
    private final double[] max;
    private final double[] sum;
    private final long[] count;
    private int head;
    private int size;

    private long openStart = Long.MIN_VALUE;
    private double openMin;
    private double openMax;
    private double openSum;
    private long openCount;

    /**
     * @param next the coarser level closed buckets are forwarded to, or {@code null}; its width must be a
     *             multiple of this one's
     */
    public RollupSeries(long widthMs, int capacity, RollupSeries next) {
        if (widthMs < 1) {
            throw new IllegalArgumentException("invalid rollup width: " + widthMs + " ms (expected: >= 1)");
        }
        if (capacity < 1 || capacity > (1 << 24)) {
            throw new IllegalArgumentException("invalid rollup capacity: " + capacity + " (expected: 1-16777216)");
        }
        if (next != null && next.widthMs % widthMs != 0) {
            throw new IllegalArgumentException("invalid rollup cascade: " + next.widthMs + " ms is not a multiple of "
                + widthMs + " ms");
        }
        this.widthMs = widthMs;
        this.capacity = capacity;
        this.next = next;
        this.start = new long[capacity];
        this.min = new double[capacity];
        this.max = new double[capacity];
        this.sum = new double[capacity];
        this.count = new long[capacity];
    }

    public long widthMs() {
        return widthMs;
    }

    /** Adds one raw point. Points of a bucket older than the open one are ignored (returns false). */
    public boolean add(long timestampMs, double value) {
        return merge(timestampMs, value, value, value, 1);
    }

    /** Merges an aggregate (a finer level's closed bucket starting at {@code timestampMs}). */
    boolean merge(long timestampMs, double mn, double mx, double sm, long n) {
        long bucket = Math.floorDiv(timestampMs, widthMs) * widthMs;
        if (openCount > 0 && bucket < openStart) {
            return false;
        }
        if (openCount > 0 && bucket > openStart) {
            close();
        }
        if (openCount == 0) {
            openStart = bucket;
            openMin = mn;
            openMax = mx;
            openSum = sm;
            openCount = n;
        } else {
            openMin = Math.min(openMin, mn);
            openMax = Math.max(openMax, mx);
            openSum += sm;
            openCount += n;
        }
        return true;
    }

    /** Closes the open bucket if {@code nowMs} is past its end, here and in coarser levels. */
    public void advanceTo(long nowMs) {
        if (openCount > 0 && nowMs >= openStart + widthMs) {
            close();
        }
        if (next != null) {
            next.advanceTo(nowMs);
        }
    }

    private void close() {
        int tail = index(size == capacity ? capacity : size);
        start[tail] = openStart;
        min[tail] = openMin;
        max[tail] = openMax;
        sum[tail] = openSum;
        count[tail] = openCount;
        if (size == capacity) {
            head = head + 1 == capacity ? 0 : head + 1;
        } else {
            size++;
        }
        if (next != null) {
            next.merge(openStart, openMin, openMax, openSum, openCount);
        }
        openCount = 0;
    }

    /** Closed buckets held. */
    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** Points in the bucket still filling (0 when none is open). */
    public long openCount() {
        return openCount;
    }

    /**
     * Copies the newest {@code n} closed buckets (bounded by the shortest array), oldest first, and returns
     * how many were copied. {@code mean = sum / count}.
     */
    public int lastN(int n, long[] startOut, double[] minOut, double[] maxOut, double[] meanOut, long[] countOut) {
        if (n < 0) {
            throw new IllegalArgumentException("invalid bucket count: " + n + " (expected: >= 0)");
        }
        int count = Math.min(Math.min(n, size), shortest(startOut, minOut, maxOut, meanOut, countOut));
        copy(size - count, count, startOut, minOut, maxOut, meanOut, countOut);
        return count;
    }

    /** Copies the closed buckets starting in {@code [fromInclusive, toExclusive)}, oldest first. */
    public int between(long fromInclusive, long toExclusive, long[] startOut, double[] minOut, double[] maxOut,
                       double[] meanOut, long[] countOut) {
        int first = lowerBound(fromInclusive);
        int end = lowerBound(toExclusive);
        int count = Math.min(Math.max(0, end - first), shortest(startOut, minOut, maxOut, meanOut, countOut));
        copy(first, count, startOut, minOut, maxOut, meanOut, countOut);
        return count;
    }

    private void copy(int first, int n, long[] startOut, double[] minOut, double[] maxOut, double[] meanOut,
                      long[] countOut) {
        for (int i = 0; i < n; i++) {
            int at = index(first + i);
            startOut[i] = start[at];
            minOut[i] = min[at];
            maxOut[i] = max[at];
            meanOut[i] = sum[at] / count[at];
            countOut[i] = count[at];
        }
    }

    private static int shortest(long[] a, double[] b, double[] c, double[] d, long[] e) {
        return Math.min(Math.min(a.length, b.length), Math.min(Math.min(c.length, d.length), e.length));
    }

    private int lowerBound(long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (start[index(mid)] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int index(int position) {
        int i = head + position;
        return i >= capacity ? i - capacity : i;
    }
}
