package io.shadowvm.controller.interim;

import io.shadowvm.controller.loop.WeightPolicy;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's rule without the refinements: above {@code threshold}, shadows get
 * {@code share = min(score × scalingFactor, 1)}, split equally over serving, alive shadows whose own path
 * score is below the threshold; each weight moves at most {@code maxStep} per tick.
 */
public final class SeedRuleWeightPolicy implements WeightPolicy {
    private final double threshold;
    private final double scalingFactor;
    private final double maxStep;
    private final Map<String, Map<String, Double>> last = new HashMap<>();

    public SeedRuleWeightPolicy() {
        this(0.7, 1.0, 0.25);
    }

    public SeedRuleWeightPolicy(double threshold, double scalingFactor, double maxStep) {
        this.threshold = threshold;
        this.scalingFactor = scalingFactor;
        this.maxStep = maxStep;
    }

    @Override
    public Map<String, Double> weigh(String vm, String primaryHost, double primaryScore, List<ShadowInput> shadows,
                                     long nowNs) {
        Map<String, Double> target = new LinkedHashMap<>();
        int eligible = 0;
        for (ShadowInput s : shadows) {
            if (s.serving() && s.alive() && s.pathScore() < threshold && s.lagMs() <= s.stalenessBoundMs()) {
                eligible++;
            }
        }
        double share = primaryScore > threshold && eligible > 0 ? Math.min(primaryScore * scalingFactor, 1.0) : 0;
        target.put(primaryHost, 1.0 - share);
        for (ShadowInput s : shadows) {
            boolean ok = s.serving() && s.alive() && s.pathScore() < threshold && s.lagMs() <= s.stalenessBoundMs();
            target.put(s.host(), ok ? share / eligible : 0.0);
        }
        Map<String, Double> prev = last.get(vm);
        Map<String, Double> out = new LinkedHashMap<>();
        double shadowSum = 0;
        for (ShadowInput s : shadows) {
            double t = target.get(s.host());
            double p = prev == null ? 0 : prev.getOrDefault(s.host(), 0.0);
            double w = t;
            if (t > 0 || p > 0) {
                w = Math.max(p - maxStep, Math.min(p + maxStep, t));
            }
            if (!(s.alive() && s.serving())) {
                w = 0;
            }
            out.put(s.host(), w);
            shadowSum += w;
        }
        if (shadowSum > 1) {
            for (Map.Entry<String, Double> e : out.entrySet()) {
                e.setValue(e.getValue() / shadowSum);
            }
            shadowSum = 1;
        }
        Map<String, Double> result = new LinkedHashMap<>();
        result.put(primaryHost, 1.0 - shadowSum);
        result.putAll(out);
        last.put(vm, result);
        return result;
    }

    @Override
    public void forget(String vm) {
        last.remove(vm);
    }

    @Override
    public String describe() {
        return "interim seed-rule weights (awaiting shadowvm-redirect's PolicyLoop in ~/.m2)";
    }
}
