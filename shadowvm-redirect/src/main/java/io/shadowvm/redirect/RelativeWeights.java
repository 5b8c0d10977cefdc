package io.shadowvm.redirect;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Relative, non-negative weights per backend name, as operators write them ({@code primary=70,shadow=30}) or
 * as the policy produces them (fractions). Backends of the data plane that are not named get 0.
 */
public record RelativeWeights(Map<String, Double> weights) {
    public RelativeWeights {
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            Backend.checkName(e.getKey());
            Double w = e.getValue();
            if (w == null || !(w >= 0) || w.isInfinite()) {
                throw new RedirectException("invalid weight of " + e.getKey() + ": " + w
                    + " (expected: a finite number >= 0)");
            }
            copy.put(e.getKey(), w);
        }
        weights = Collections.unmodifiableMap(copy);
    }

    /** Parses {@code NAME=W[,NAME=W...]}. */
    public static RelativeWeights parse(String text) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new RedirectException("invalid weight '" + p + "' (expected: NAME=W)");
            }
            String name = p.substring(0, eq).trim();
            double w;
            try {
                w = Double.parseDouble(p.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new RedirectException("invalid weight of " + name + ": '" + p.substring(eq + 1)
                    + "' (expected: a finite number >= 0)");
            }
            if (m.put(name, w) != null) {
                throw new RedirectException("duplicate weight for backend " + name);
            }
        }
        return new RelativeWeights(m);
    }

    /**
     * The weight of each of {@code names}, in that order (0 when unnamed); rejects names that are not among them
     * and an all-zero result.
     */
    public double[] resolve(Collection<String> names) {
        for (String n : weights.keySet()) {
            if (!names.contains(n)) {
                throw new RedirectException("unknown backend in weights: " + n + " (expected one of " + names + ")");
            }
        }
        double[] out = new double[names.size()];
        double total = 0;
        int i = 0;
        for (String n : names) {
            out[i] = weights.getOrDefault(n, 0.0);
            total += out[i++];
        }
        if (!(total > 0)) {
            throw new RedirectException("invalid weights: all zero (expected: at least one backend with weight > 0)");
        }
        return out;
    }
}
