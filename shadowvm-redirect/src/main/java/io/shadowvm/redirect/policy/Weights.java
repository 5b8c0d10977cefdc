package io.shadowvm.redirect.policy;

import io.shadowvm.redirect.RedirectException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Traffic shares of the primary and each shadow: never negative, summing to 1 (within 1e-9).
 *
 * @param primary  the primary's share
 * @param shadows  each shadow's share, in the input's order (an unmodifiable, ordered map)
 */
public record Weights(double primary, Map<String, Double> shadows) {
    /** The name under which the primary appears in {@link #asMap()}. */
    public static final String PRIMARY = "primary";
    static final double EPSILON = 1e-9;

    public Weights {
        shadows = Collections.unmodifiableMap(new LinkedHashMap<>(shadows));
        double sum = primary;
        if (!(primary >= 0)) {
            throw new RedirectException("invalid primary weight: " + primary + " (expected: >= 0)");
        }
        for (Map.Entry<String, Double> e : shadows.entrySet()) {
            if (!(e.getValue() >= 0)) {
                throw new RedirectException("invalid weight of " + e.getKey() + ": " + e.getValue()
                    + " (expected: >= 0)");
            }
            sum += e.getValue();
        }
        if (Math.abs(sum - 1.0) > EPSILON) {
            throw new RedirectException("invalid weights: sum " + sum + " (expected: 1)");
        }
    }

    /** Everything to the primary, nothing to the named shadows. */
    public static Weights allPrimary(List<String> shadowNames) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String n : shadowNames) {
            m.put(n, 0.0);
        }
        return new Weights(1.0, m);
    }

    public double shadow(String name) {
        return shadows.getOrDefault(name, 0.0);
    }

    public double shadowTotal() {
        double t = 0;
        for (double w : shadows.values()) {
            t += w;
        }
        return t;
    }

    /** Primary first, then the shadows: the form a data plane takes. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(PRIMARY, primary);
        m.putAll(shadows);
        return Collections.unmodifiableMap(m);
    }
}
