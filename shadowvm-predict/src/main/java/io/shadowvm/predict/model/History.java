package io.shadowvm.predict.model;

/** A ring buffer of the newest values; {@code get(0)} is the newest. */
final class History {
    private final double[] buf;
    private long count;

    History(int capacity) {
        buf = new double[Math.max(1, capacity)];
    }

    void add(double v) {
        buf[(int) (count % buf.length)] = v;
        count++;
    }

    /** The value {@code lag} steps before the newest; the oldest available one when not yet seen. */
    double get(int lag) {
        if (count == 0) {
            return 0;
        }
        long idx = count - 1 - Math.min(lag, Math.min(count - 1, buf.length - 1));
        return buf[(int) (idx % buf.length)];
    }

    long count() {
        return count;
    }

    int capacity() {
        return buf.length;
    }
}
