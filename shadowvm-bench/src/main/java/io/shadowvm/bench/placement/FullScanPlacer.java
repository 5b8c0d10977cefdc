package io.shadowvm.bench.placement;

import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.VmSpec;
import io.shadowvm.placement.ClusterState;
import io.shadowvm.placement.PlacementInfeasibleException;
import io.shadowvm.placement.PlacementConstraint;

/**
 * The baseline: the same filters and a comparable weighing, but every role scans every host (what a filter
 * scheduler does without an index). Used only to measure what the per-rack index saves.
 */
final class FullScanPlacer {
    private final ClusterState state;
    private final Topology t;

    FullScanPlacer(ClusterState state) {
        this.state = state;
        this.t = state.topology();
    }

    void place(VmSpec vm) {
        int primary = -1;
        double best = Double.NEGATIVE_INFINITY;
        int partner = -1;
        for (String p : vm.communicatesWith()) {
            partner = state.primaryOf(p);
        }
        for (Host h : t.hosts()) {
            int i = h.index();
            if (!state.fits(i, vm.vcpus(), vm.memoryMib(), vm.networkMbps())) {
                continue;
            }
            double score = spread(i, vm.vcpus(), vm.memoryMib());
            if (partner >= 0) {
                score += 2 * (state.rackOf(partner) == h.rack() ? 1.0 : state.podOf(partner) == h.pod() ? 0.5 : 0);
            }
            if (score > best) {
                best = score;
                primary = i;
            }
        }
        if (primary < 0) {
            throw new PlacementInfeasibleException(vm.name(), PlacementConstraint.CAPACITY, 0, vm.name() + ": no host");
        }
        int n = vm.policy().shadows();
        int[] shadows = new int[n];
        double sync = state.syncMbps(vm);
        for (int k = 0; k < n; k++) {
            int chosen = -1;
            best = Double.NEGATIVE_INFINITY;
            for (Host h : t.hosts()) {
                int i = h.index();
                if (!state.fits(i, vm.shadowVcpus(), vm.memoryMib(), sync) || separatedFails(vm, primary, shadows, k, i)) {
                    continue;
                }
                double score = spread(i, vm.shadowVcpus(), vm.memoryMib())
                    + Math.max(0, state.pathHeadroomMbps(primary, i, sync)) / (h.nicGbps() * 1000)
                    + 0.5 * (state.podOf(i) == state.podOf(primary) ? 1 : 0);
                if (score > best) {
                    best = score;
                    chosen = i;
                }
            }
            if (chosen < 0) {
                throw new PlacementInfeasibleException(vm.name(), PlacementConstraint.CAPACITY, k + 1, vm.name() + ": no host");
            }
            shadows[k] = chosen;
        }
        state.place(vm, primary, shadows, null);
    }

    private double spread(int h, int cores, long mem) {
        Host host = t.host(h);
        return 0.5 * (state.freeCores(h) - cores) / host.cores() + 0.5 * (double) (state.freeMemoryMib(h) - mem) / host.memoryMib();
    }

    private boolean separatedFails(VmSpec vm, int primary, int[] shadows, int k, int h) {
        if (clash(vm, primary, h)) {
            return true;
        }
        for (int j = 0; j < k; j++) {
            if (clash(vm, shadows[j], h)) {
                return true;
            }
        }
        return false;
    }

    private boolean clash(VmSpec vm, int a, int b) {
        int ra = state.rackOf(a);
        int rb = state.rackOf(b);
        return ra == rb || (vm.policy().avoids(FailureDomain.POD) && state.podOf(a) == state.podOf(b))
            || (vm.policy().avoids(FailureDomain.POWER) && state.powerOfRack(ra) == state.powerOfRack(rb));
    }
}
