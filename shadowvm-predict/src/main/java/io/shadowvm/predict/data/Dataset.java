package io.shadowvm.predict.data;

import java.util.List;
import java.util.Objects;

/**
 * A named set of series that share a clock and are evaluated together (e.g. the 72 links of GEANT).
 *
 * @param name        dataset name as given on the command line
 * @param description one line: what the series are and where they come from
 * @param series      at least one series
 */
public record Dataset(String name, String description, List<Series> series) {
    public Dataset {
        Objects.requireNonNull(name, "name");
        series = List.copyOf(series);
        if (series.isEmpty()) {
            throw new IllegalArgumentException("dataset " + name + " has no series");
        }
    }

    public int totalPoints() {
        return series.stream().mapToInt(Series::length).sum();
    }
}
