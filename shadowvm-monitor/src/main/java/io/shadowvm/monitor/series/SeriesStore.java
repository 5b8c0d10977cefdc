package io.shadowvm.monitor.series;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's series, addressed by an int id handed out once at registration (cold path) so that
 * recording (hot path) is an array index. Single writer.
 */
public final class SeriesStore {
    private final List<MetricSeries> series = new ArrayList<>();
    private final Map<String, Integer> byName = new HashMap<>();
    private final int maxSeries;

    public SeriesStore(int maxSeries) {
        if (maxSeries < 1) {
            throw new IllegalArgumentException("invalid series limit: " + maxSeries + " (expected: >= 1)");
        }
        this.maxSeries = maxSeries;
    }

    /** The id of the series with this name, creating it with {@code capacity} when new. */
    public int register(String name, MetricSeries.Capacity capacity) {
        Integer id = byName.get(name);
        if (id != null) {
            return id;
        }
        if (series.size() >= maxSeries) {
            throw new IllegalStateException("too many series: " + (series.size() + 1) + " (expected: at most "
                + maxSeries + ") registering " + name);
        }
        series.add(new MetricSeries(name, capacity));
        byName.put(name, series.size() - 1);
        return series.size() - 1;
    }

    public boolean record(int id, long timestampMs, double value) {
        return series.get(id).record(timestampMs, value);
    }

    public MetricSeries get(int id) {
        return series.get(id);
    }

    /** The series with this name, or {@code null}. */
    public MetricSeries find(String name) {
        Integer id = byName.get(name);
        return id == null ? null : series.get(id);
    }

    public int size() {
        return series.size();
    }

    /** Closes rollup buckets that time has passed, in every series. */
    public void advanceTo(long nowMs) {
        for (int i = 0, n = series.size(); i < n; i++) {
            series.get(i).advanceTo(nowMs);
        }
    }
}
