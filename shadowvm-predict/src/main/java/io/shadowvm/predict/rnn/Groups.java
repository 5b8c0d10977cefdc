package io.shadowvm.predict.rnn;

import io.shadowvm.predict.model.FitContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Training windows grouped by the dataset their series came from: the part of the series name before the first
 * {@code '/'} ({@code Datasets.union} names series {@code dataset/series}); a name without one is in the group "".
 */
final class Groups {
    private Groups() {
    }

    /** Windows {@code {series, origin}} split by their series' group, groups in order of first appearance. */
    static List<List<long[]>> split(List<FitContext> series, List<long[]> windows) {
        Map<String, List<long[]>> by = new LinkedHashMap<>();
        for (long[] w : windows) {
            String name = series.get((int) w[0]).seriesName();
            int slash = name.indexOf('/');
            by.computeIfAbsent(slash < 0 ? "" : name.substring(0, slash), k -> new ArrayList<>()).add(w);
        }
        return new ArrayList<>(by.values());
    }

    /**
     * About {@code total} windows, the same number from every group ({@code ceil(total / groups)}, or all of a
     * smaller group), drawn without replacement and shuffled. Each group's list is reshuffled in place.
     */
    static List<long[]> draw(List<List<long[]>> groups, int total, Random rnd) {
        int per = (total + groups.size() - 1) / groups.size();
        List<long[]> out = new ArrayList<>(per * groups.size());
        for (List<long[]> g : groups) {
            Collections.shuffle(g, rnd);
            out.addAll(g.subList(0, Math.min(per, g.size())));
        }
        Collections.shuffle(out, rnd);
        return out;
    }
}
