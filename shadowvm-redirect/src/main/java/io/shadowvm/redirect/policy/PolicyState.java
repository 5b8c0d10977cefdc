package io.shadowvm.redirect.policy;

/**
 * What the policy remembers between ticks.
 *
 * @param engagement          IDLE or ENGAGED
 * @param engagedSinceNs      when the policy last engaged (meaningful while ENGAGED)
 * @param lowerTargetSinceNs  since when the target shadow share has been continuously below the current one;
 *                            {@link #NONE} when it is not
 * @param weights             the weights in force
 */
public record PolicyState(EngagementState engagement, long engagedSinceNs, long lowerTargetSinceNs, Weights weights) {
    public static final long NONE = Long.MIN_VALUE;

    /** The state before the first tick: idle, everything to the primary. */
    public static PolicyState initial(java.util.List<String> shadowNames) {
        return new PolicyState(EngagementState.IDLE, NONE, NONE, Weights.allPrimary(shadowNames));
    }
}
