package io.shadowvm.monitor.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates samples into reused primitive columns (no allocation per sample once the columns have
 * grown) and turns them into a {@link TelemetryBatch}. Names are registered once (cold path) and
 * referenced by index. Single writer. When {@code maxSamples} is reached further samples are dropped and
 * counted, so a controller that stops draining cannot make the agent grow without bound.
 */
public final class TelemetryBatchBuilder {
    private final String source;
    private final int maxSamples;
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> nameIndex = new HashMap<>();
    private byte[] metrics = new byte[256];
    private int[] subjects = new int[256];
    private int[] peers = new int[256];
    private long[] timestamps = new long[256];
    private double[] values = new double[256];
    private int count;
    private long sequence;
    private long dropped;

    public TelemetryBatchBuilder(String source, int maxSamples) {
        if (maxSamples < 1 || maxSamples > TelemetryBatch.MAX_SAMPLES) {
            throw new TelemetryFormatException("invalid batch size: " + maxSamples + " (expected: 1-"
                + TelemetryBatch.MAX_SAMPLES + ")");
        }
        this.source = source;
        this.maxSamples = maxSamples;
    }

    /** The index of {@code name}, registering it when new (cold path). */
    public int name(String name) {
        Integer i = nameIndex.get(name);
        if (i != null) {
            return i;
        }
        if (names.size() >= TelemetryBatch.MAX_NAMES) {
            throw new TelemetryFormatException("too many names: " + (names.size() + 1) + " (expected: at most "
                + TelemetryBatch.MAX_NAMES + ")");
        }
        names.add(name);
        nameIndex.put(name, names.size() - 1);
        return names.size() - 1;
    }

    public void add(TelemetryMetric metric, int subject, int peer, long epochMs, double value) {
        if (count == maxSamples) {
            dropped++;
            return;
        }
        if (count == metrics.length) {
            grow();
        }
        metrics[count] = (byte) metric.code();
        subjects[count] = subject;
        peers[count] = peer;
        timestamps[count] = epochMs;
        values[count] = value;
        count++;
    }

    public int size() {
        return count;
    }

    public long droppedCount() {
        return dropped;
    }

    /** The samples so far as a batch (names: all registered so far); the builder starts over. */
    public TelemetryBatch drain(long nowEpochMs) {
        TelemetryBatch b = new TelemetryBatch(source, sequence++, nowEpochMs, names,
            java.util.Arrays.copyOf(metrics, count), java.util.Arrays.copyOf(subjects, count),
            java.util.Arrays.copyOf(peers, count), java.util.Arrays.copyOf(timestamps, count),
            java.util.Arrays.copyOf(values, count));
        count = 0;
        return b;
    }

    private void grow() {
        int n = Math.min(maxSamples, metrics.length * 2);
        metrics = java.util.Arrays.copyOf(metrics, n);
        subjects = java.util.Arrays.copyOf(subjects, n);
        peers = java.util.Arrays.copyOf(peers, n);
        timestamps = java.util.Arrays.copyOf(timestamps, n);
        values = java.util.Arrays.copyOf(values, n);
    }
}
