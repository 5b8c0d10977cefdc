package io.shadowvm.placement;

import static io.shadowvm.placement.VmEntry.indexOf;
import static io.shadowvm.placement.VmEntry.removeAt;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.vm.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The failure side of a {@link ClusterState}: taking a host out of service (what its roles lose), promoting a
 * shadow of a VM whose primary was there, and putting a host back in service. Same single owner as its state;
 * every operation validates first and changes nothing when it refuses.
 */
final class HostLifecycle {
    private final ClusterState state;
    private final Topology topology;
    private final HostCapacity cap;
    private final Map<String, VmEntry> vms;

    HostLifecycle(ClusterState state, HostCapacity cap, Map<String, VmEntry> vms) {
        this.state = state;
        this.topology = state.topology();
        this.cap = cap;
        this.vms = vms;
    }

    HostRemoval removeHost(String hostName) {
        int h = topology.host(hostName).index();
        if (!cap.hostAlive[h]) {
            throw new ShadowVmException("host " + hostName + " is already out of service");
        }
        List<HostRemoval.Loss> lost = new ArrayList<>();
        for (VmEntry e : vms.values()) {
            VmSpec vm = e.vm;
            double sync = state.syncMbps(vm);
            if (e.primary == h) {
                cap.release(h, vm.vcpus(), vm.memoryMib(), vm.networkMbps());
                e.primary = -1;
                for (int i = 0; i < e.shadows.length; i++) {
                    if (e.syncFromRack[i] >= 0) {
                        cap.addUplinkSync(e.syncFromRack[i], cap.hostRack[e.shadows[i]], -sync);
                        e.syncFromRack[i] = -1;
                    }
                }
                lost.add(new HostRemoval.Loss(vm.name(), HostRemoval.Role.PRIMARY, state.hostNames(e.shadows)));
                continue;
            }
            int at = indexOf(e.shadows, h);
            if (at >= 0) {
                cap.release(h, vm.shadowVcpus(), vm.memoryMib(), sync);
                if (e.syncFromRack[at] >= 0) {
                    cap.addUplinkSync(e.syncFromRack[at], cap.hostRack[h], -sync);
                }
                e.shadows = removeAt(e.shadows, at);
                e.syncFromRack = removeAt(e.syncFromRack, at);
                lost.add(new HostRemoval.Loss(vm.name(), HostRemoval.Role.SHADOW, state.hostNames(e.shadows)));
            }
        }
        cap.takeOutOfService(h);
        return new HostRemoval(hostName, lost);
    }

    void returnHost(String hostName) {
        int h = topology.host(hostName).index();
        if (cap.hostAlive[h]) {
            throw new ShadowVmException("host " + hostName + " is already in service (expected: a host taken out of "
                + "service, " + (cap.hostAlive.length - state.aliveHosts().length) + " are)");
        }
        cap.returnToService(h);
    }

    Placement promote(String vmName, String shadowHost) {
        VmEntry e = state.entry(vmName);
        if (e.primary >= 0) {
            throw new ShadowVmException(vmName + ": its primary on " + topology.host(e.primary).name()
                + " is in service (expected: a VM that lost its primary)");
        }
        int h = topology.host(shadowHost).index();
        int at = indexOf(e.shadows, h);
        if (at < 0) {
            throw new ShadowVmException(vmName + ": no shadow on " + shadowHost + " (shadows: "
                + state.hostNames(e.shadows) + ")");
        }
        VmSpec vm = e.vm;
        double sync = state.syncMbps(vm);
        int extraCores = vm.vcpus() - vm.shadowVcpus();
        double extraNic = vm.networkMbps() - sync;
        if (cap.freeCores[h] < extraCores || cap.freeNicMbps[h] < extraNic) {
            throw new PlacementInfeasibleException(vmName, cap.freeCores[h] < extraCores ? PlacementConstraint.CORES
                : PlacementConstraint.NIC_BANDWIDTH, 0, vmName + ": shadow on " + shadowHost + " cannot become the primary: "
                + "it needs " + extraCores + " more cores and " + Units.mbps(Math.max(0, extraNic)) + " more NIC bandwidth "
                + "(free: " + cap.freeCores[h] + " cores, " + Units.mbps(cap.freeNicMbps[h]) + ")");
        }
        cap.release(h, vm.shadowVcpus(), vm.memoryMib(), sync);
        cap.reserve(h, vm.vcpus(), vm.memoryMib(), vm.networkMbps());
        e.primary = h;
        e.shadows = removeAt(e.shadows, at);
        e.syncFromRack = removeAt(e.syncFromRack, at);
        for (int i = 0; i < e.shadows.length; i++) {
            e.syncFromRack[i] = cap.hostRack[h];
            cap.addUplinkSync(cap.hostRack[h], cap.hostRack[e.shadows[i]], sync);
        }
        return state.toPlacement(e);
    }
}
