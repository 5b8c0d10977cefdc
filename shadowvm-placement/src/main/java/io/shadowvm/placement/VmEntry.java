package io.shadowvm.placement;

import io.shadowvm.core.vm.VmSpec;

/**
 * One placed VM inside a {@link ClusterState}: where its roles are, by host index. {@code primary} is -1 after its
 * host was taken out of service and no shadow was promoted yet; {@code syncFromRack[i]} is the rack shadow
 * {@code i}'s sync stream comes from, -1 while no sync flows. Mutable, owned by the state's single owner.
 */
final class VmEntry {
    VmSpec vm;
    int primary;
    int[] shadows;
    int[] syncFromRack;
    String partialReason;

    VmEntry(VmSpec vm, int primary, int[] shadows, int[] syncFromRack, String partialReason) {
        this.vm = vm;
        this.primary = primary;
        this.shadows = shadows;
        this.syncFromRack = syncFromRack;
        this.partialReason = partialReason;
    }

    static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    static int[] removeAt(int[] a, int i) {
        int[] b = java.util.Arrays.copyOf(a, a.length - 1);
        System.arraycopy(a, i + 1, b, i, a.length - i - 1);
        return b;
    }
}
