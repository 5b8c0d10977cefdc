package io.shadowvm.monitor.export;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A batch of samples from one agent for the controller, columnar: sample {@code i} is
 * {@code metrics[i]} observed at {@code timestamps[i]} with {@code values[i]}; {@code subjects[i]} indexes
 * {@link #names()} (the probing host for probe metrics, the link or interface otherwise) and
 * {@code peers[i]} the probed host ({@code -1} for link metrics). Names travel once per batch, so a
 * sample costs 21 bytes on the wire ({@link TelemetryCodec}). Arrays are copied in and must not be
 * modified through the accessors.
 */
public record TelemetryBatch(String source, long sequence, long createdEpochMs, List<String> names,
                             byte[] metrics, int[] subjects, int[] peers, long[] timestamps, double[] values) {
    public static final int MAX_SAMPLES = 1 << 20;
    public static final int MAX_NAMES = 65_535;

    public TelemetryBatch {
        Objects.requireNonNull(source, "source");
        names = List.copyOf(names);
        int n = metrics.length;
        if (subjects.length != n || peers.length != n || timestamps.length != n || values.length != n) {
            throw new TelemetryFormatException("telemetry columns differ in length: " + n + ", " + subjects.length
                + ", " + peers.length + ", " + timestamps.length + ", " + values.length);
        }
        if (n > MAX_SAMPLES) {
            throw new TelemetryFormatException("too many samples: " + n + " (expected: at most " + MAX_SAMPLES + ")");
        }
        if (names.size() > MAX_NAMES) {
            throw new TelemetryFormatException("too many names: " + names.size() + " (expected: at most "
                + MAX_NAMES + ")");
        }
        for (int i = 0; i < n; i++) {
            if (TelemetryMetric.ofCode(metrics[i]) == null) {
                throw new TelemetryFormatException("unknown metric code: " + metrics[i] + " at sample " + i);
            }
            if (subjects[i] < 0 || subjects[i] >= names.size() || peers[i] < -1 || peers[i] >= names.size()) {
                throw new TelemetryFormatException("name index out of range at sample " + i + ": " + subjects[i]
                    + "/" + peers[i] + " (expected: 0-" + (names.size() - 1) + ")");
            }
        }
        metrics = metrics.clone();
        subjects = subjects.clone();
        peers = peers.clone();
        timestamps = timestamps.clone();
        values = values.clone();
    }

    public int size() {
        return metrics.length;
    }

    public TelemetryMetric metric(int i) {
        return TelemetryMetric.ofCode(metrics[i]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TelemetryBatch b && source.equals(b.source) && sequence == b.sequence
            && createdEpochMs == b.createdEpochMs && names.equals(b.names) && Arrays.equals(metrics, b.metrics)
            && Arrays.equals(subjects, b.subjects) && Arrays.equals(peers, b.peers)
            && Arrays.equals(timestamps, b.timestamps) && Arrays.equals(values, b.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, sequence, createdEpochMs, names, Arrays.hashCode(metrics),
            Arrays.hashCode(timestamps), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "TelemetryBatch[" + source + " #" + sequence + ", " + size() + " samples, " + names.size() + " names]";
    }
}
