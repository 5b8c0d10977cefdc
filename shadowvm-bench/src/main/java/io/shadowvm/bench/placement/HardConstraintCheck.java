package io.shadowvm.bench.placement;

import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.VmSpec;
import io.shadowvm.placement.ClusterState;
import io.shadowvm.placement.Placement;
import java.util.List;

/**
 * Checks every hard constraint of a finished placement from the topology and the placements alone (it does
 * not trust the state's own bookkeeping): per-host cores, memory and NIC totals against capacity, the number
 * of shadows, and rack / pod / power separation of every VM's roles.
 */
final class HardConstraintCheck {
    long roles;
    long violations;
    String firstViolation;

    static HardConstraintCheck of(ClusterState state) {
        HardConstraintCheck c = new HardConstraintCheck();
        c.run(state);
        return c;
    }

    private void run(ClusterState state) {
        Topology t = state.topology();
        int n = t.hosts().size();
        long[] cores = new long[n];
        long[] mem = new long[n];
        double[] nic = new double[n];
        List<Placement> placements = state.placements();
        int[] hosts = new int[17];
        for (Placement p : placements) {
            VmSpec vm = p.vm();
            int k = 0;
            hosts[k++] = p.primaryIndex();
            cores[p.primaryIndex()] += vm.vcpus();
            mem[p.primaryIndex()] += vm.memoryMib();
            nic[p.primaryIndex()] += vm.networkMbps();
            for (int i = 0; i < p.shadows().size(); i++) {
                int h = p.shadowIndex(i);
                hosts[k++] = h;
                cores[h] += vm.shadowVcpus();
                mem[h] += vm.memoryMib();
                nic[h] += vm.networkMbps() * state.syncFactor();
            }
            roles += k;
            if (p.shadows().size() != vm.policy().shadows() && !vm.policy().allowPartial()) {
                fail(vm.name() + ": " + p.shadows().size() + " shadows of " + vm.policy().shadows());
            }
            for (int i = 0; i < k; i++) {
                Host a = t.host(hosts[i]);
                for (int j = i + 1; j < k; j++) {
                    Host b = t.host(hosts[j]);
                    if (a.rack() == b.rack()) {
                        fail(vm.name() + ": " + a.name() + " and " + b.name() + " share a rack");
                    }
                    if (vm.policy().avoids(FailureDomain.POD) && a.pod() == b.pod()) {
                        fail(vm.name() + ": " + a.name() + " and " + b.name() + " share a pod");
                    }
                    if (vm.policy().avoids(FailureDomain.POWER) && t.powerOf(a).equals(t.powerOf(b))) {
                        fail(vm.name() + ": " + a.name() + " and " + b.name() + " share a power domain");
                    }
                }
            }
        }
        for (Host h : t.hosts()) {
            int i = h.index();
            if (cores[i] > h.cores() || mem[i] > h.memoryMib() || nic[i] > h.nicGbps() * 1000 + 1e-6) {
                fail(h.name() + ": " + cores[i] + " cores, " + mem[i] + " MiB, " + nic[i] + " Mbps reserved (capacity "
                    + h.cores() + ", " + h.memoryMib() + ", " + h.nicGbps() * 1000 + ")");
            }
        }
    }

    private void fail(String what) {
        violations++;
        if (firstViolation == null) {
            firstViolation = what;
        }
    }

    @Override
    public String toString() {
        return roles + " roles checked, " + violations + " violations"
            + (firstViolation == null ? "" : " (first: " + firstViolation + ")");
    }
}
