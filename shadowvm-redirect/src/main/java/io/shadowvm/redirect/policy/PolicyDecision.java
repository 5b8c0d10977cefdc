package io.shadowvm.redirect.policy;

import java.util.Map;

/**
 * The result of one tick.
 *
 * @param weights        the weights to apply now
 * @param target         where the weights are heading (before rate limiting and dwell)
 * @param healthFactors  each shadow's health factor in [0, 1] (0 = gets nothing)
 * @param next           the state to pass to the next tick
 */
public record PolicyDecision(Weights weights, Weights target, Map<String, Double> healthFactors, PolicyState next) {
    public PolicyDecision {
        healthFactors = Map.copyOf(healthFactors);
    }
}
