package io.shadowvm.controller.model;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A shadow's lifecycle. The allowed transitions live here and nowhere else:
 *
 * <pre>
 *   SYNCING ──▶ IN_SYNC ⇄ LAGGING
 *                  │         │
 *                  └──▶ PROMOTING ◀──┘ ──▶ PRIMARY
 *   any non-terminal state ──▶ FAILED
 * </pre>
 *
 * SYNCING: no whole epoch acknowledged yet. IN_SYNC: acknowledged epoch within the policy's lag bound.
 * LAGGING: behind the bound. PROMOTING: chosen by a failover, promote command in flight. PRIMARY: the
 * shadow now is the VM's primary (terminal for the shadow). FAILED: lost (its host died, sync broke, or the
 * promotion failed); terminal, reconciliation places a replacement.
 */
public enum ShadowState {
    SYNCING, IN_SYNC, LAGGING, PROMOTING, PRIMARY, FAILED;

    private static final Map<ShadowState, Set<ShadowState>> NEXT = new EnumMap<>(ShadowState.class);

    static {
        NEXT.put(SYNCING, EnumSet.of(IN_SYNC, LAGGING, FAILED));
        NEXT.put(IN_SYNC, EnumSet.of(LAGGING, PROMOTING, FAILED));
        NEXT.put(LAGGING, EnumSet.of(IN_SYNC, PROMOTING, FAILED));
        NEXT.put(PROMOTING, EnumSet.of(PRIMARY, FAILED));
        NEXT.put(PRIMARY, EnumSet.noneOf(ShadowState.class));
        NEXT.put(FAILED, EnumSet.noneOf(ShadowState.class));
    }

    /** Whether {@code next} may follow this state (staying in the same state is always allowed). */
    public boolean canMoveTo(ShadowState next) {
        return next == this || NEXT.get(this).contains(next);
    }

    /** {@code next}, or an {@link IllegalShadowTransitionException} naming both states. */
    public ShadowState moveTo(ShadowState next, String vm, String host) {
        if (!canMoveTo(next)) {
            throw new IllegalShadowTransitionException(vm, host, this, next);
        }
        return next;
    }

    /** A failover may pick it: it holds at least one whole acknowledged epoch. */
    public boolean promotable() {
        return this == IN_SYNC || this == LAGGING;
    }

    /** Counts toward the policy's number of shadows (being restored or usable). */
    public boolean counted() {
        return this == SYNCING || this == IN_SYNC || this == LAGGING;
    }

    public boolean terminal() {
        return NEXT.get(this).isEmpty();
    }
}
