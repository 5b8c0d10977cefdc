package io.shadowvm.placement;

import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Rack;
import io.shadowvm.core.topology.Topology;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The free capacity arrays behind a {@link ClusterState}, indexed like {@link Topology#hosts()} and
 * {@link Topology#racks()}: per host free cores, memory and NIC bandwidth; per rack the largest free amount of
 * each on one live host (an upper bound the placer prunes racks with), free and total memory of live hosts,
 * live host count; per rack uplink capacity and the sync traffic routed over it. It keeps these aggregates
 * consistent under {@link #reserve}/{@link #release}; it does not know about VMs or constraints. Same single
 * owner as its {@code ClusterState}.
 */
final class HostCapacity {
    private final Topology topology;
    final int[] hostRack;
    final int[] hostPod;
    final int[] rackPower;
    final String[] powerNames;
    final boolean[] hostAlive;
    final int[] freeCores;
    final long[] freeMemoryMib;
    final double[] freeNicMbps;
    final int[] rackMaxFreeCores;
    final long[] rackMaxFreeMemoryMib;
    final double[] rackMaxFreeNicMbps;
    final long[] rackFreeMemoryMib;
    final long[] rackMemoryMib;
    final int[] rackAliveHosts;
    final double[] uplinkCapacityMbps;
    final double[] uplinkSyncMbps;

    HostCapacity(Topology topology) {
        this.topology = topology;
        int n = topology.hosts().size();
        int racks = topology.racks().size();
        hostRack = new int[n];
        hostPod = new int[n];
        hostAlive = new boolean[n];
        freeCores = new int[n];
        freeMemoryMib = new long[n];
        freeNicMbps = new double[n];
        for (Host h : topology.hosts()) {
            int i = h.index();
            hostRack[i] = h.rack();
            hostPod[i] = h.pod();
            hostAlive[i] = true;
            freeCores[i] = h.cores();
            freeMemoryMib[i] = h.memoryMib();
            freeNicMbps[i] = h.nicGbps() * 1000.0;
        }
        rackPower = new int[racks];
        Map<String, Integer> powerIds = new LinkedHashMap<>();
        rackMaxFreeCores = new int[racks];
        rackMaxFreeMemoryMib = new long[racks];
        rackMaxFreeNicMbps = new double[racks];
        rackFreeMemoryMib = new long[racks];
        rackMemoryMib = new long[racks];
        rackAliveHosts = new int[racks];
        uplinkCapacityMbps = new double[racks];
        uplinkSyncMbps = new double[racks];
        for (Rack r : topology.racks()) {
            String power = r.power() != null ? r.power() : "rack:" + r.name();
            rackPower[r.index()] = powerIds.computeIfAbsent(power, k -> powerIds.size());
            uplinkCapacityMbps[r.index()] = r.uplinkGbps() * 1000.0;
            for (int h : r.hosts()) {
                rackMemoryMib[r.index()] += freeMemoryMib[h];
            }
            recomputeRack(r.index());
        }
        powerNames = powerIds.keySet().toArray(new String[0]);
    }

    /** Marks a host out of service (its roles must have been released) and drops it from its rack's aggregates. */
    void takeOutOfService(int h) {
        hostAlive[h] = false;
        int r = hostRack[h];
        rackMemoryMib[r] -= topology.host(h).memoryMib();
        recomputeRack(r);
    }

    /**
     * Puts a host that was out of service back in service with its whole capacity free (nothing may be reserved on
     * it: its roles were released when it was taken out) and adds it to its rack's aggregates again.
     */
    void returnToService(int h) {
        var host = topology.host(h);
        hostAlive[h] = true;
        freeCores[h] = host.cores();
        freeMemoryMib[h] = host.memoryMib();
        freeNicMbps[h] = host.nicGbps() * 1000.0;
        int r = hostRack[h];
        rackMemoryMib[r] += host.memoryMib();
        recomputeRack(r);
    }

    void reserve(int h, int cores, long mem, double nic) {
        int r = hostRack[h];
        boolean wasMax = freeCores[h] == rackMaxFreeCores[r] || freeMemoryMib[h] == rackMaxFreeMemoryMib[r]
            || freeNicMbps[h] == rackMaxFreeNicMbps[r];
        freeCores[h] -= cores;
        freeMemoryMib[h] -= mem;
        freeNicMbps[h] -= nic;
        rackFreeMemoryMib[r] -= mem;
        if (wasMax) {
            recomputeRack(r);
        }
    }

    void release(int h, int cores, long mem, double nic) {
        freeCores[h] += cores;
        freeMemoryMib[h] += mem;
        freeNicMbps[h] += nic;
        int r = hostRack[h];
        rackFreeMemoryMib[r] += mem;
        if (hostAlive[h]) {
            rackMaxFreeCores[r] = Math.max(rackMaxFreeCores[r], freeCores[h]);
            rackMaxFreeMemoryMib[r] = Math.max(rackMaxFreeMemoryMib[r], freeMemoryMib[h]);
            rackMaxFreeNicMbps[r] = Math.max(rackMaxFreeNicMbps[r], freeNicMbps[h]);
        }
    }

    void addUplinkSync(int fromRack, int toRack, double mbps) {
        if (fromRack != toRack) {
            uplinkSyncMbps[fromRack] += mbps;
            uplinkSyncMbps[toRack] += mbps;
        }
    }

    /** Rebuilds the rack's per-host maxima and totals from its live hosts. */
    void recomputeRack(int r) {
        int c = 0;
        long m = 0;
        double nic = 0;
        long freeMem = 0;
        int alive = 0;
        for (int h : topology.racks().get(r).hosts()) {
            if (!hostAlive[h]) {
                continue;
            }
            alive++;
            c = Math.max(c, freeCores[h]);
            m = Math.max(m, freeMemoryMib[h]);
            nic = Math.max(nic, freeNicMbps[h]);
            freeMem += freeMemoryMib[h];
        }
        rackMaxFreeCores[r] = alive == 0 ? -1 : c;
        rackMaxFreeMemoryMib[r] = alive == 0 ? -1 : m;
        rackMaxFreeNicMbps[r] = alive == 0 ? -1 : nic;
        rackFreeMemoryMib[r] = freeMem;
        rackAliveHosts[r] = alive;
    }
}
