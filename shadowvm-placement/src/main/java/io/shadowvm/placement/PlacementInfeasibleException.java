package io.shadowvm.placement;

import io.shadowvm.core.ShadowVmException;

/**
 * No placement satisfies a VM's hard constraints. The message names the VM, the role that could not be
 * placed, the constraint and the counts behind it, e.g.
 * {@code web-7: no host in a rack other than r3 has 16 GiB free for shadow 1 of 2 (5 racks checked, best had 12 GiB)}.
 */
public final class PlacementInfeasibleException extends ShadowVmException {
    private static final long serialVersionUID = 1L;
    private final String vm;
    private final PlacementConstraint constraint;
    private final int role;

    /** @param role 0 for the primary, {@code k} for shadow {@code k} */
    public PlacementInfeasibleException(String vm, PlacementConstraint constraint, int role, String message) {
        super(message);
        this.vm = vm;
        this.constraint = constraint;
        this.role = role;
    }

    public String vm() {
        return vm;
    }

    public PlacementConstraint constraint() {
        return constraint;
    }

    /** 0 when the primary could not be placed, {@code k} when shadow {@code k} (1-based) could not. */
    public int role() {
        return role;
    }
}
