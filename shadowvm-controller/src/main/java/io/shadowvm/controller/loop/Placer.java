package io.shadowvm.controller.loop;

import io.shadowvm.core.vm.VmSpec;
import java.util.List;
import java.util.Set;

/**
 * The loop's port to the Placement Manager. Single-threaded (the loop's). The placer keeps its own view
 * of what runs where: every change the loop makes is reported through {@link #update} or {@link #release}.
 */
public interface Placer {
    /** A primary and shadows for a new VM among {@code usableHosts}; throws a {@code ShadowVmException} naming the VM and the unmet constraint. */
    Choice place(VmSpec vm, Set<String> usableHosts);

    /**
     * Exactly one more shadow for {@code vm} (one was lost, or a promotion used one up), given where its primary
     * and other shadows run, under the same hard constraints and weights as {@link #place}; {@code null} when no
     * host qualifies (the VM's view is updated either way).
     */
    String placeShadow(VmSpec vm, String primaryHost, List<String> otherShadowHosts, Set<String> usableHosts);

    /**
     * A host the loop declared dead and fenced is back: its agent re-registered and its stale primaries are being
     * stopped (they never serve again), so nothing the loop no longer places there holds capacity, and the host
     * takes new roles (e.g. the shadows its own failover left missing). A ShadowVmException names a host that is
     * not in the topology.
     */
    void hostBackInService(String host);

    /** The VM now runs its primary on {@code primaryHost} and shadows on {@code shadowHosts}. */
    void update(VmSpec vm, String primaryHost, List<String> shadowHosts);

    /** The VM is gone. */
    void release(String vm);

    /** Which implementation this is (shown in status, logged at start). */
    String describe();

    record Choice(String primary, List<String> shadows, String partialReason) {
        public Choice {
            shadows = List.copyOf(shadows);
        }
    }
}
