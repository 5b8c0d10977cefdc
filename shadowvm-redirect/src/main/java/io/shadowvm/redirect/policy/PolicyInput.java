package io.shadowvm.redirect.policy;

import io.shadowvm.redirect.RedirectException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One tick's observation for one VM.
 *
 * @param primaryScore  the congestion score of the primary's path, in [0, 1]
 * @param offeredLoad   the VM's current load in the unit of {@link ShadowStatus#capacity()}; 0 when unknown (then
 *                      no shadow is limited by its capacity)
 * @param shadows       the VM's shadows, in a stable order; names unique
 */
public record PolicyInput(double primaryScore, double offeredLoad, List<ShadowStatus> shadows) {
    public PolicyInput {
        PolicyConfig.unit("primaryScore", primaryScore);
        if (!(offeredLoad >= 0) || Double.isInfinite(offeredLoad)) {
            throw new RedirectException("invalid offeredLoad: " + offeredLoad + " (expected: >= 0, finite)");
        }
        shadows = List.copyOf(shadows);
        Set<String> names = new HashSet<>();
        for (ShadowStatus s : shadows) {
            if (!names.add(s.name())) {
                throw new RedirectException("duplicate shadow name: " + s.name());
            }
            if (Weights.PRIMARY.equals(s.name())) {
                throw new RedirectException("invalid shadow name: " + s.name() + " (reserved for the primary)");
            }
        }
    }

    public static PolicyInput of(double primaryScore, ShadowStatus... shadows) {
        return new PolicyInput(primaryScore, 0.0, List.of(shadows));
    }
}
