package io.shadowvm.controller.model;

import io.shadowvm.core.ShadowVmException;

/** A shadow was asked to move to a state its lifecycle does not allow from where it is. */
public final class IllegalShadowTransitionException extends ShadowVmException {
    private static final long serialVersionUID = 1L;

    public IllegalShadowTransitionException(String vm, String host, ShadowState from, ShadowState to) {
        super("shadow of " + vm + " on " + host + ": cannot move from " + from + " to " + to
            + " (allowed: " + allowed(from) + ")");
    }

    private static String allowed(ShadowState from) {
        StringBuilder sb = new StringBuilder();
        for (ShadowState s : ShadowState.values()) {
            if (s != from && from.canMoveTo(s)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(s);
            }
        }
        return sb.length() == 0 ? "none, " + from + " is terminal" : sb.toString();
    }
}
