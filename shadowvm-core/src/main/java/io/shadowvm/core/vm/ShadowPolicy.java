package io.shadowvm.core.vm;

import java.util.EnumSet;
import java.util.Set;

/**
 * How a VM is shadowed.
 *
 * @param shadows        how many shadows (0 = none, 1 = 1:1, 2 = 1:2, N = 1:N)
 * @param mode           standby or serving
 * @param avoid          failure domains no two of {primary, shadows} may share; always contains RACK (a
 *                       shadow on the primary's ToR switch would share its congestion and its failure)
 * @param maxLagMs       the replication lag bound: a shadow further behind is LAGGING
 * @param stalenessMs    the oldest state a serving shadow may answer from
 * @param allowPartial   place with fewer shadows than asked when no more fit (reported), instead of failing
 * @param outputCommit   hold the primary's network output until the shadow acknowledged the epoch (Remus)
 */
public record ShadowPolicy(int shadows, ShadowMode mode, Set<FailureDomain> avoid, long maxLagMs, long stalenessMs,
                           boolean allowPartial, boolean outputCommit) {
    public static final int MAX_SHADOWS = 16;
    public static final long DEFAULT_MAX_LAG_MS = 1_000;
    public static final long DEFAULT_STALENESS_MS = 2_000;

    public ShadowPolicy {
        if (shadows < 0 || shadows > MAX_SHADOWS) {
            throw new IllegalArgumentException("shadows: " + shadows + " (expected: 0.." + MAX_SHADOWS + ")");
        }
        EnumSet<FailureDomain> a = EnumSet.of(FailureDomain.RACK);
        a.addAll(avoid);
        avoid = Set.copyOf(a);
    }

    public static ShadowPolicy of(int shadows, ShadowMode mode) {
        return new ShadowPolicy(shadows, mode, Set.of(FailureDomain.RACK), DEFAULT_MAX_LAG_MS, DEFAULT_STALENESS_MS,
            false, false);
    }

    public boolean avoids(FailureDomain d) {
        return avoid.contains(d);
    }
}
