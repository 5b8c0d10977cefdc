package io.shadowvm.monitor.series;

/**
 * A ring buffer of {@code (long timestamp, double value)} points at full resolution. When full, the oldest
 * point is overwritten. Timestamps must not decrease (a point older than the newest is rejected), so
 * range queries can binary-search. Not thread-safe: one writer, readers on the same thread.
 */
public final class RingSeries {
    private final long[] ts;
    private final double[] values;
    private final int capacity;
    private int head;          // index of the oldest point
    private int size;
    private long rejected;

    public RingSeries(int capacity) {
        if (capacity < 1 || capacity > (1 << 24)) {
            throw new IllegalArgumentException("invalid ring capacity: " + capacity + " (expected: 1-16777216)");
        }
        this.capacity = capacity;
        this.ts = new long[capacity];
        this.values = new double[capacity];
    }

    /** Appends a point; returns false (and counts it) when {@code timestamp} is older than the newest point. */
    public boolean append(long timestamp, double value) {
        if (size > 0 && timestamp < newestTimestamp()) {
            rejected++;
            return false;
        }
        int tail = index(size == capacity ? capacity : size);
        ts[tail] = timestamp;
        values[tail] = value;
        if (size == capacity) {
            head = (head + 1) % capacity;
        } else {
            size++;
        }
        return true;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** Points refused because they were older than the newest one. */
    public long rejectedCount() {
        return rejected;
    }

    public long newestTimestamp() {
        if (size == 0) {
            throw new IllegalStateException("empty series has no newest timestamp");
        }
        return ts[index(size - 1)];
    }

    public double newestValue() {
        if (size == 0) {
            throw new IllegalStateException("empty series has no newest value");
        }
        return values[index(size - 1)];
    }

    /** The i-th point in time order, 0 = oldest. */
    public long timestampAt(int i) {
        return ts[index(checkPosition(i))];
    }

    public double valueAt(int i) {
        return values[index(checkPosition(i))];
    }

    /**
     * Copies the newest {@code min(n, size, tsOut.length, valuesOut.length)} points, oldest first, into the
     * arrays starting at index 0, and returns how many were copied.
     */
    public int lastN(int n, long[] tsOut, double[] valuesOut) {
        if (n < 0) {
            throw new IllegalArgumentException("invalid point count: " + n + " (expected: >= 0)");
        }
        int count = Math.min(Math.min(n, size), Math.min(tsOut.length, valuesOut.length));
        int first = size - count;
        for (int i = 0; i < count; i++) {
            int at = index(first + i);
            tsOut[i] = ts[at];
            valuesOut[i] = values[at];
        }
        return count;
    }

    /**
     * Copies the points with {@code fromInclusive <= ts < toExclusive}, oldest first, into the arrays and
     * returns how many were copied; when the arrays are shorter than the range, the oldest points of the
     * range are copied (call again from the last copied timestamp + 1 to continue).
     */
    public int between(long fromInclusive, long toExclusive, long[] tsOut, double[] valuesOut) {
        int start = lowerBound(fromInclusive);
        int end = lowerBound(toExclusive);
        int count = Math.min(Math.max(0, end - start), Math.min(tsOut.length, valuesOut.length));
        for (int i = 0; i < count; i++) {
            int at = index(start + i);
            tsOut[i] = ts[at];
            valuesOut[i] = values[at];
        }
        return count;
    }

    /** Position (0 = oldest) of the first point with timestamp >= t; {@code size} when there is none. */
    int lowerBound(long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[index(mid)] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public void clear() {
        head = 0;
        size = 0;
    }

    private int index(int position) {
        int i = head + position;
        return i >= capacity ? i - capacity : i;
    }

    private int checkPosition(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("point index: " + i + " (expected: 0-" + (size - 1) + ")");
        }
        return i;
    }
}
