package io.shadowvm.placement;

import java.util.List;

/**
 * What taking a host out of service did: every VM that lost its primary or a shadow there. The controller
 * promotes a shadow of each VM in {@link #lostPrimaries()} and places new shadows for the others.
 */
public record HostRemoval(String host, List<Loss> losses) {
    public HostRemoval {
        losses = List.copyOf(losses);
    }

    public enum Role { PRIMARY, SHADOW }

    /**
     * @param remainingShadows the VM's shadows still alive after the removal (promotion candidates when the
     *                         primary was lost)
     */
    public record Loss(String vm, Role role, List<String> remainingShadows) {
        public Loss {
            remainingShadows = List.copyOf(remainingShadows);
        }
    }

    public List<Loss> lostPrimaries() {
        return losses.stream().filter(l -> l.role() == Role.PRIMARY).toList();
    }

    public List<Loss> lostShadows() {
        return losses.stream().filter(l -> l.role() == Role.SHADOW).toList();
    }
}
