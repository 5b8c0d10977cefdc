package io.shadowvm.placement;

import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.VmSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Explains why a role could not be placed (cold path: scans every host once). Checks the constraints in a
 * fixed order and names the first that no host meets: failure-domain separation, memory, cores, NIC
 * bandwidth, and finally all three at once.
 */
final class Diagnosis {
    private Diagnosis() {
    }

    /**
     * @param role    0 for the primary, k for shadow k (1-based)
     * @param primary the primary's host when {@code role > 0}
     * @param shadows the shadows chosen so far ({@code chosen} of them)
     */
    static PlacementInfeasibleException of(ClusterState s, VmSpec vm, int role, int primary, int[] shadows, int chosen) {
        Topology t = s.topology();
        boolean shadow = role > 0;
        int cores = shadow ? vm.shadowVcpus() : vm.vcpus();
        long mem = vm.memoryMib();
        double nic = shadow ? s.syncMbps(vm) : vm.networkMbps();
        String what = shadow ? "shadow " + role + " of " + vm.policy().shadows() : "the primary";
        String nicWhat = shadow ? " of NIC bandwidth free for sync" : " of NIC bandwidth free";

        Set<Integer> racks = new LinkedHashSet<>();
        Set<Integer> pods = new LinkedHashSet<>();
        Set<Integer> powers = new LinkedHashSet<>();
        boolean avoidPod = vm.policy().avoids(FailureDomain.POD);
        boolean avoidPower = vm.policy().avoids(FailureDomain.POWER);
        if (shadow) {
            List<Integer> used = new ArrayList<>();
            used.add(primary);
            for (int i = 0; i < chosen; i++) {
                used.add(shadows[i]);
            }
            for (int h : used) {
                int r = s.rackOf(h);
                racks.add(r);
                if (avoidPod) {
                    pods.add(s.podOf(h));
                }
                if (avoidPower) {
                    powers.add(s.powerOfRack(r));
                }
            }
        }
        int liveRacks = 0;
        int racksChecked = 0;
        int hosts = 0;
        int memOk = 0;
        int coresOk = 0;
        int nicOk = 0;
        long bestMem = -1;
        int bestCores = -1;
        double bestNic = -1;
        for (int r = 0; r < s.rackCount(); r++) {
            if (s.rackAliveHosts(r) == 0) {
                continue;
            }
            liveRacks++;
            if (racks.contains(r) || pods.contains(t.racks().get(r).pod()) || powers.contains(s.powerOfRack(r))) {
                continue;
            }
            racksChecked++;
            for (int h : t.racks().get(r).hosts()) {
                if (!s.isAlive(h)) {
                    continue;
                }
                hosts++;
                memOk += s.freeMemoryMib(h) >= mem ? 1 : 0;
                coresOk += s.freeCores(h) >= cores ? 1 : 0;
                nicOk += s.freeNicMbps(h) >= nic ? 1 : 0;
                bestMem = Math.max(bestMem, s.freeMemoryMib(h));
                bestCores = Math.max(bestCores, s.freeCores(h));
                bestNic = Math.max(bestNic, s.freeNicMbps(h));
            }
        }
        String name = vm.name();
        if (liveRacks == 0) {
            return new PlacementInfeasibleException(name, PlacementConstraint.NO_LIVE_HOST, role,
                name + ": no live host for " + what + " (" + t.hosts().size() + " hosts, all out of service)");
        }
        String where = shadow ? " in " + domains(s, racks, pods, powers) : "";
        if (racksChecked == 0) {
            return new PlacementInfeasibleException(name, PlacementConstraint.FAILURE_DOMAIN, role,
                name + ": no rack left for " + what + ": it must be in " + domains(s, racks, pods, powers)
                    + " (avoid: " + avoidList(vm) + "; all " + liveRacks + " racks with live hosts are excluded)");
        }
        String checked = racksChecked + (racksChecked == 1 ? " rack" : " racks") + " checked";
        if (memOk == 0) {
            return new PlacementInfeasibleException(name, PlacementConstraint.MEMORY, role,
                name + ": no host" + where + " has " + Units.mib(mem) + " free for " + what + " (" + checked
                    + ", best had " + Units.mib(bestMem) + ")");
        }
        if (coresOk == 0) {
            return new PlacementInfeasibleException(name, PlacementConstraint.CORES, role,
                name + ": no host" + where + " has " + cores + " free cores for " + what + " (" + checked
                    + ", best had " + bestCores + ")");
        }
        if (nicOk == 0) {
            return new PlacementInfeasibleException(name, PlacementConstraint.NIC_BANDWIDTH, role,
                name + ": no host" + where + " has " + Units.mbps(nic) + nicWhat + " for " + what + " (" + checked
                    + ", best had " + Units.mbps(bestNic) + ")");
        }
        return new PlacementInfeasibleException(name, PlacementConstraint.CAPACITY, role,
            name + ": no host" + where + " has " + cores + " cores, " + Units.mib(mem) + " and " + Units.mbps(nic)
                + " free at once for " + what + " (" + checked + ", " + hosts + " hosts: " + memOk
                + " had the memory, " + coresOk + " the cores, " + nicOk + " the bandwidth)");
    }

    /** {@code a rack other than r1, r3 and a pod other than p1}. */
    private static String domains(ClusterState s, Set<Integer> racks, Set<Integer> pods, Set<Integer> powers) {
        Topology t = s.topology();
        StringBuilder sb = new StringBuilder("a rack other than ");
        join(sb, racks.stream().map(r -> t.racks().get(r).name()).toList());
        if (!pods.isEmpty()) {
            sb.append(" and a pod other than ");
            join(sb, pods.stream().map(p -> t.pods().get(p).name()).toList());
        }
        if (!powers.isEmpty()) {
            sb.append(" and a power domain other than ");
            join(sb, powers.stream().map(s::powerName).toList());
        }
        return sb.toString();
    }

    private static void join(StringBuilder sb, List<String> names) {
        sb.append(String.join(", ", names));
    }

    private static String avoidList(VmSpec vm) {
        List<String> l = new ArrayList<>();
        for (FailureDomain d : FailureDomain.values()) {
            if (vm.policy().avoids(d)) {
                l.add(d.name().toLowerCase(Locale.ROOT));
            }
        }
        return String.join(", ", l);
    }
}
