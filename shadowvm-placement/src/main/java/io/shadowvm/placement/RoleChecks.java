package io.shadowvm.placement;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.VmSpec;

/**
 * The hard constraints a {@link ClusterState} re-checks before every mutation: the host exists and is in service,
 * it has the cores, memory and NIC bandwidth free, and no two roles of a VM share a rack (or a pod / power domain
 * the policy avoids). Each check throws a {@link ShadowVmException} naming the VM, the role, the value and the
 * bound; it never changes anything.
 */
final class RoleChecks {
    private final Topology topology;
    private final HostCapacity cap;
    private final double syncFactor;

    RoleChecks(Topology topology, HostCapacity cap, double syncFactor) {
        this.topology = topology;
        this.cap = cap;
        this.syncFactor = syncFactor;
    }

    /** Capacity and separation of a primary and its shadows against the current free capacity. */
    void roles(VmSpec vm, int primary, int[] shadows) {
        fits(vm, primary, vm.vcpus(), vm.memoryMib(), vm.networkMbps(), "primary");
        double sync = vm.networkMbps() * syncFactor;
        for (int i = 0; i < shadows.length; i++) {
            fits(vm, shadows[i], vm.shadowVcpus(), vm.memoryMib(), sync, "shadow " + (i + 1));
            separated(vm, primary, shadows[i]);
            for (int j = 0; j < i; j++) {
                separated(vm, shadows[j], shadows[i]);
            }
        }
    }

    void fits(VmSpec vm, int host, int cores, long mem, double nic, String role) {
        if (host < 0 || host >= cap.hostRack.length) {
            throw new ShadowVmException(vm.name() + ": " + role + " host index " + host + " (expected: 0.."
                + (cap.hostRack.length - 1) + ")");
        }
        String name = topology.host(host).name();
        if (!cap.hostAlive[host]) {
            throw new ShadowVmException(vm.name() + ": " + role + " on " + name + ", which is out of service");
        }
        if (cap.freeCores[host] < cores || cap.freeMemoryMib[host] < mem || cap.freeNicMbps[host] < nic) {
            throw new ShadowVmException(vm.name() + ": " + role + " needs " + cores + " cores, " + mem + " MiB, "
                + Units.mbps(nic) + " on " + name + " (free: " + cap.freeCores[host] + " cores, " + cap.freeMemoryMib[host]
                + " MiB, " + Units.mbps(cap.freeNicMbps[host]) + ")");
        }
    }

    void separated(VmSpec vm, int a, int b) {
        String na = topology.host(a).name();
        String nb = topology.host(b).name();
        if (cap.hostRack[a] == cap.hostRack[b]) {
            throw new ShadowVmException(vm.name() + ": " + na + " and " + nb + " share rack "
                + topology.racks().get(cap.hostRack[a]).name() + " (expected: every role on its own rack)");
        }
        if (vm.policy().avoids(FailureDomain.POD) && cap.hostPod[a] == cap.hostPod[b]) {
            throw new ShadowVmException(vm.name() + ": " + na + " and " + nb + " share pod "
                + topology.pods().get(cap.hostPod[a]).name() + " (the policy avoids shared pods)");
        }
        if (vm.policy().avoids(FailureDomain.POWER) && cap.rackPower[cap.hostRack[a]] == cap.rackPower[cap.hostRack[b]]) {
            throw new ShadowVmException(vm.name() + ": " + na + " and " + nb + " share power domain "
                + cap.powerNames[cap.rackPower[cap.hostRack[a]]] + " (the policy avoids shared power domains)");
        }
    }
}
