package io.shadowvm.redirect.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weight policy (docs/redirection.md, "Policy"). Pure: {@link #decide} depends only on its arguments, so
 * the controller, the simulator and tests get the same answer for the same inputs.
 *
 * <ol>
 *   <li>Engagement with hysteresis: IDLE → ENGAGED when {@code primaryScore > engageThreshold} (and some shadow
 *       can serve); ENGAGED → IDLE when {@code primaryScore <= releaseThreshold} and the policy has been engaged
 *       for at least {@code minDwellNs}.</li>
 *   <li>The seed's rule: {@code share = min(primaryScore × scalingFactor, 1)} while engaged, else 0, split across
 *       eligible serving shadows in proportion to their capacity.</li>
 *   <li>The health cost: each shadow's part is multiplied by its health factor
 *       {@code h = (1 − pathScore/cutoff)(1 − lag/bound)(1 − rtt/maxRtt)(1 − loss/maxLoss)}, 0 when any factor is
 *       ≤ 0, the shadow is dead, not serving or has no capacity; ineligible shadows' parts go to the others,
 *       the health discount goes to the primary; with a known offered load no shadow gets more than its
 *       capacity can carry.</li>
 *   <li>Stability: a shadow that became ineligible loses its weight at once (staleness is a correctness bound);
 *       otherwise a lower total shadow share applies only after it has persisted for {@code minDwellNs}, and
 *       the weight vector moves towards its target by at most {@code maxStepPerTick} per weight per tick.</li>
 * </ol>
 */
public final class RedirectionPolicy {
    private final PolicyConfig config;

    public RedirectionPolicy(PolicyConfig config) {
        this.config = config;
    }

    public PolicyConfig config() {
        return config;
    }

    /** The shadow's health factor in [0, 1]; 0 means it gets no traffic. */
    public double healthFactor(ShadowStatus s) {
        if (!s.serving() || !s.alive() || !(s.capacity() > 0)) {
            return 0.0;
        }
        double congestion = 1.0 - s.pathScore() / config.shadowScoreCutoff();
        double freshness = 1.0 - s.replicationLagMs() / s.stalenessBoundMs();
        double rtt = 1.0 - s.rttMs() / config.maxRttMs();
        double loss = 1.0 - s.lossRate() / config.maxLossRate();
        if (congestion <= 0 || freshness <= 0 || rtt <= 0 || loss <= 0) {
            return 0.0;
        }
        return congestion * freshness * rtt * loss;
    }

    /** The seed's rule: the share of traffic to move to shadows for a primary path score, when engaged. */
    public double redirectShare(double primaryScore) {
        return Math.min(primaryScore * config.scalingFactor(), 1.0);
    }

    /** The unsmoothed weights for this input, given whether the policy is engaged. */
    public Weights target(PolicyInput in, boolean engaged, Map<String, Double> health) {
        double share = engaged ? redirectShare(in.primaryScore()) : 0.0;
        double eligibleCapacity = 0;
        for (ShadowStatus s : in.shadows()) {
            if (health.get(s.name()) > 0) {
                eligibleCapacity += s.capacity();
            }
        }
        Map<String, Double> shadows = new LinkedHashMap<>();
        double total = 0;
        for (ShadowStatus s : in.shadows()) {
            double h = health.get(s.name());
            double w = 0;
            if (h > 0 && share > 0) {
                w = share * (s.capacity() / eligibleCapacity) * h;
                if (in.offeredLoad() > 0) {
                    w = Math.min(w, s.capacity() / in.offeredLoad());
                }
            }
            shadows.put(s.name(), w);
            total += w;
        }
        return new Weights(Math.max(0.0, 1.0 - total), normalizeShadows(shadows, total));
    }

    /** One tick: the weights to apply at {@code nowNs} and the state for the next tick. */
    public PolicyDecision decide(PolicyInput in, PolicyState state, long nowNs) {
        Map<String, Double> health = new LinkedHashMap<>();
        boolean anyEligible = false;
        for (ShadowStatus s : in.shadows()) {
            double h = healthFactor(s);
            health.put(s.name(), h);
            anyEligible |= h > 0;
        }

        EngagementState engagement = state.engagement();
        long engagedSince = state.engagedSinceNs();
        if (engagement == EngagementState.IDLE) {
            if (in.primaryScore() > config.engageThreshold() && anyEligible) {
                engagement = EngagementState.ENGAGED;
                engagedSince = nowNs;
            }
        } else if (in.primaryScore() <= config.releaseThreshold() && nowNs - engagedSince >= config.minDwellNs()) {
            engagement = EngagementState.IDLE;
            engagedSince = PolicyState.NONE;
        }

        Weights target = target(in, engagement == EngagementState.ENGAGED, health);

        // Previous weights re-keyed to this input's shadows; ineligible shadows drop to 0 at once.
        List<String> names = new ArrayList<>();
        double[] prev = new double[in.shadows().size()];
        double[] goal = new double[prev.length];
        double prevTotal = 0;
        double goalTotal = 0;
        for (int i = 0; i < prev.length; i++) {
            String name = in.shadows().get(i).name();
            names.add(name);
            prev[i] = health.get(name) > 0 ? state.weights().shadow(name) : 0.0;
            goal[i] = target.shadow(name);
            prevTotal += prev[i];
            goalTotal += goal[i];
        }

        long lowerSince = PolicyState.NONE;
        if (goalTotal < prevTotal - Weights.EPSILON) {
            lowerSince = state.lowerTargetSinceNs() == PolicyState.NONE ? nowNs : state.lowerTargetSinceNs();
            if (nowNs - lowerSince < config.minDwellNs()) {
                System.arraycopy(prev, 0, goal, 0, prev.length); // hold until the lower target has persisted
                goalTotal = prevTotal;
            }
        }

        // Move towards the goal with every weight (the primary's included) changing by at most maxStepPerTick.
        double maxDelta = Math.abs(goalTotal - prevTotal);
        for (int i = 0; i < prev.length; i++) {
            maxDelta = Math.max(maxDelta, Math.abs(goal[i] - prev[i]));
        }
        double alpha = maxDelta > config.maxStepPerTick() ? config.maxStepPerTick() / maxDelta : 1.0;
        Map<String, Double> next = new LinkedHashMap<>();
        double total = 0;
        for (int i = 0; i < prev.length; i++) {
            double w = Math.max(0.0, prev[i] + alpha * (goal[i] - prev[i]));
            next.put(names.get(i), w);
            total += w;
        }
        Weights weights = new Weights(Math.max(0.0, 1.0 - total), normalizeShadows(next, total));
        return new PolicyDecision(weights, target, health,
            new PolicyState(engagement, engagedSince, lowerSince, weights));
    }

    /** Guards against floating-point sums a hair above 1. */
    private static Map<String, Double> normalizeShadows(Map<String, Double> shadows, double total) {
        if (total <= 1.0) {
            return shadows;
        }
        Map<String, Double> scaled = new LinkedHashMap<>();
        shadows.forEach((k, v) -> scaled.put(k, v / total));
        return scaled;
    }
}
