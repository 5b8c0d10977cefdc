package io.shadowvm.placement;

import io.shadowvm.core.vm.VmSpec;
import java.util.List;

/**
 * Where a VM's roles are: its primary and its shadows, by host name (as in the topology file) and by host
 * index. A snapshot: later changes to the {@link ClusterState} do not show here.
 *
 * @param primary        the primary's host, or {@code null} when that host failed and no shadow was promoted yet
 * @param primaryIndex   the primary's host index, or -1
 * @param partialReason  why fewer shadows than the policy asks for were placed, or {@code null} when all were
 */
public record Placement(VmSpec vm, String primary, int primaryIndex, List<String> shadows, int[] shadowIndexes,
                       String partialReason) {
    public Placement {
        shadows = List.copyOf(shadows);
        shadowIndexes = shadowIndexes.clone();
    }

    public String name() {
        return vm.name();
    }

    /** Whether fewer shadows than the policy asks for are placed. */
    public boolean isPartial() {
        return shadows.size() < vm.policy().shadows();
    }

    @Override
    public int[] shadowIndexes() {
        return shadowIndexes.clone();
    }

    /** The index of shadow {@code i} without copying. */
    public int shadowIndex(int i) {
        return shadowIndexes[i];
    }
}
