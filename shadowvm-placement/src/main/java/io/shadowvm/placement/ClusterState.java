package io.shadowvm.placement;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable free capacity of a cluster and who is where: per host free cores, memory and NIC bandwidth
 * (primitive arrays indexed like {@link Topology#hosts()}), per rack the largest free amount of each
 * resource on one host (an upper bound the placer prunes whole racks with), per rack uplink the sync
 * traffic routed over it, and the placement of every VM.
 *
 * <p>What a role reserves: a primary its vCPUs, its memory and {@code networkMbps} of its host's NIC; a
 * shadow the VM's memory (the replica lives there), its vCPUs when {@code serving}, and the sync stream's
 * bandwidth ({@code networkMbps × syncFactor}) on its NIC and on both rack uplinks of the path from the
 * primary. NIC capacity is a hard limit; uplinks are shared and oversubscribed, so their load is only
 * weighed (sync-path headroom), never a reason to refuse. The arrays and their per-rack aggregates live in
 * {@link HostCapacity}; this class adds the VMs, the hard-constraint checks and the operations on them.
 *
 * <p><b>Not thread-safe, by design:</b> one owner (the controller's placement loop, the CLI, a benchmark)
 * mutates it; other threads send that owner commands. Every mutation re-checks the hard constraints and
 * refuses, leaving the state unchanged, when one would break.
 */
public final class ClusterState {
    /** Default ratio of a shadow's sync stream to the VM's network demand. */
    public static final double DEFAULT_SYNC_FACTOR = 1.0;

    private final Topology topology;
    private final double syncFactor;
    private final HostCapacity cap;
    private final Map<String, VmEntry> vms = new LinkedHashMap<>();
    private final Map<String, List<String>> talkersTo = new HashMap<>();
    private final RoleChecks checks;
    private final HostLifecycle lifecycle;

    public ClusterState(Topology topology) {
        this(topology, DEFAULT_SYNC_FACTOR);
    }

    public ClusterState(Topology topology, double syncFactor) {
        if (!(syncFactor >= 0 && syncFactor <= 100)) {
            throw new IllegalArgumentException("syncFactor: " + syncFactor + " (expected: 0..100)");
        }
        this.topology = topology;
        this.syncFactor = syncFactor;
        this.cap = new HostCapacity(topology);
        this.checks = new RoleChecks(topology, cap, syncFactor);
        this.lifecycle = new HostLifecycle(this, cap, vms);
    }

    // ---- reading -----------------------------------------------------------------------------------

    public Topology topology() {
        return topology;
    }

    public double syncFactor() {
        return syncFactor;
    }

    /** The sync stream one shadow of {@code vm} needs, in Mbps. */
    public double syncMbps(VmSpec vm) {
        return vm.networkMbps() * syncFactor;
    }

    public int hostCount() {
        return cap.hostRack.length;
    }

    public int rackCount() {
        return cap.rackMaxFreeCores.length;
    }

    public int rackOf(int host) {
        return cap.hostRack[host];
    }

    public int podOf(int host) {
        return cap.hostPod[host];
    }

    public int powerOfRack(int rack) {
        return cap.rackPower[rack];
    }

    public String powerName(int power) {
        return cap.powerNames[power];
    }

    public boolean isAlive(int host) {
        return cap.hostAlive[host];
    }

    public int freeCores(int host) {
        return cap.freeCores[host];
    }

    public long freeMemoryMib(int host) {
        return cap.freeMemoryMib[host];
    }

    public double freeNicMbps(int host) {
        return cap.freeNicMbps[host];
    }

    public int rackMaxFreeCores(int rack) {
        return cap.rackMaxFreeCores[rack];
    }

    public long rackMaxFreeMemoryMib(int rack) {
        return cap.rackMaxFreeMemoryMib[rack];
    }

    public double rackMaxFreeNicMbps(int rack) {
        return cap.rackMaxFreeNicMbps[rack];
    }

    /** Free memory of the rack's live hosts over their total memory, in [0, 1]. */
    public double rackFreeMemoryFraction(int rack) {
        return cap.rackMemoryMib[rack] == 0 ? 0 : (double) cap.rackFreeMemoryMib[rack] / cap.rackMemoryMib[rack];
    }

    public int rackAliveHosts(int rack) {
        return cap.rackAliveHosts[rack];
    }

    public double uplinkCapacityMbps(int rack) {
        return cap.uplinkCapacityMbps[rack];
    }

    /** Sync traffic currently routed over the rack's ToR↔spine uplink, in Mbps. */
    public double uplinkSyncMbps(int rack) {
        return cap.uplinkSyncMbps[rack];
    }

    /**
     * Bandwidth left on the path between two hosts after a sync stream of {@code syncMbps}: the minimum over
     * the destination NIC and, across racks, both uplinks. Negative when a shared uplink is oversubscribed.
     */
    public double pathHeadroomMbps(int primary, int shadow, double syncMbps) {
        double h = cap.freeNicMbps[shadow] - syncMbps;
        int rp = cap.hostRack[primary];
        int rs = cap.hostRack[shadow];
        if (rp != rs) {
            h = Math.min(h, cap.uplinkCapacityMbps[rp] - cap.uplinkSyncMbps[rp] - syncMbps);
            h = Math.min(h, cap.uplinkCapacityMbps[rs] - cap.uplinkSyncMbps[rs] - syncMbps);
        }
        return h;
    }

    /** Whether {@code host} is alive and has the cores, memory and NIC bandwidth free. */
    public boolean fits(int host, int cores, long memoryMib, double nicMbps) {
        return cap.hostAlive[host] && cap.freeCores[host] >= cores && cap.freeMemoryMib[host] >= memoryMib
            && cap.freeNicMbps[host] >= nicMbps;
    }

    /** Whether the rack may hold a host that fits (an upper bound: false means no host in it does). */
    public boolean rackMayFit(int rack, int cores, long memoryMib, double nicMbps) {
        return cap.rackMaxFreeCores[rack] >= cores && cap.rackMaxFreeMemoryMib[rack] >= memoryMib
            && cap.rackMaxFreeNicMbps[rack] >= nicMbps;
    }

    public int placedCount() {
        return vms.size();
    }

    public boolean isPlaced(String vm) {
        return vms.containsKey(vm);
    }

    /** The VM's current placement, or {@code null} when it is not placed. */
    public Placement placement(String vm) {
        VmEntry e = vms.get(vm);
        return e == null ? null : toPlacement(e);
    }

    /** Every placed VM in placement order. */
    public List<Placement> placements() {
        List<Placement> out = new ArrayList<>(vms.size());
        for (VmEntry e : vms.values()) {
            out.add(toPlacement(e));
        }
        return out;
    }

    /** The primary host of {@code vm}, or -1 when it is not placed or lost its primary. */
    public int primaryOf(String vm) {
        VmEntry e = vms.get(vm);
        return e == null ? -1 : e.primary;
    }

    /** Names of placed VMs whose {@code communicatesWith} lists {@code vm}. */
    public List<String> talkersTo(String vm) {
        List<String> l = talkersTo.get(vm);
        return l == null ? Collections.emptyList() : l;
    }

    // ---- mutating ----------------------------------------------------------------------------------

    /**
     * Records {@code vm} with its primary on {@code primary} and shadows on {@code shadows}, reserving their
     * capacity. Refuses (with a {@link ShadowVmException}, state unchanged) a VM already placed, a dead or
     * too-small host, or two roles sharing a rack, or a pod or power domain the policy avoids.
     *
     * @param partialReason why fewer shadows than the policy asks for were placed, or {@code null}
     */
    public Placement place(VmSpec vm, int primary, int[] shadows, String partialReason) {
        if (vms.containsKey(vm.name())) {
            throw new ShadowVmException(vm.name() + ": already placed");
        }
        if (shadows.length > vm.policy().shadows()) {
            throw new ShadowVmException(vm.name() + ": " + shadows.length + " shadows (expected: at most "
                + vm.policy().shadows() + ")");
        }
        if (shadows.length < vm.policy().shadows() && !vm.policy().allowPartial()) {
            throw new ShadowVmException(vm.name() + ": " + shadows.length + " shadows but the policy asks for "
                + vm.policy().shadows() + " and does not allow partial placement");
        }
        checks.roles(vm, primary, shadows);
        double sync = syncMbps(vm);
        cap.reserve(primary, vm.vcpus(), vm.memoryMib(), vm.networkMbps());
        int[] from = new int[shadows.length];
        for (int i = 0; i < shadows.length; i++) {
            cap.reserve(shadows[i], vm.shadowVcpus(), vm.memoryMib(), sync);
            from[i] = cap.hostRack[primary];
            cap.addUplinkSync(from[i], cap.hostRack[shadows[i]], sync);
        }
        VmEntry e = new VmEntry(vm, primary, shadows.clone(), from, partialReason);
        vms.put(vm.name(), e);
        for (String p : vm.communicatesWith()) {
            talkersTo.computeIfAbsent(p, k -> new ArrayList<>(2)).add(vm.name());
        }
        return toPlacement(e);
    }

    /** Removes a VM and frees everything it reserved; a {@link ShadowVmException} when it is not placed. */
    public Placement remove(String vmName) {
        VmEntry e = vms.remove(vmName);
        if (e == null) {
            throw new ShadowVmException(vmName + ": not placed (" + vms.size() + " VMs are)");
        }
        VmSpec vm = e.vm;
        releaseRoles(e);
        for (String p : vm.communicatesWith()) {
            List<String> l = talkersTo.get(p);
            if (l != null) {
                l.remove(vmName);
            }
        }
        return toPlacement(e);
    }

    /**
     * Takes a host out of service (it failed or is drained): frees what every role on it reserved, marks it
     * dead so nothing is placed there again, and reports the VMs that lost their primary (their shadows stay,
     * ready for promotion; their sync streams stop) or a shadow.
     */
    public HostRemoval removeHost(String hostName) {
        return lifecycle.removeHost(hostName);
    }

    /**
     * Puts a host that was taken out of service ({@link #removeHost}: it failed, was fenced or drained) back in
     * service with its whole capacity free: whatever ran there before is gone (the controller stopped its stale
     * instances), so nothing is reserved on it, and it takes new roles again. Refuses (a
     * {@link ShadowVmException}, state unchanged) a host not in the topology or one that is in service.
     */
    public void returnHost(String hostName) {
        lifecycle.returnHost(hostName);
    }

    /**
     * Makes shadow {@code shadowHost} of a VM that lost its primary the new primary: its reservation grows to
     * a primary's (vCPUs, memory, {@code networkMbps} on the NIC) and the remaining shadows' sync streams now
     * come from its rack. Refuses (state unchanged) when the VM still has a primary, the host holds no shadow
     * of it, or the host cannot take a primary's reservation — the controller then tries another shadow.
     */
    public Placement promote(String vmName, String shadowHost) {
        return lifecycle.promote(vmName, shadowHost);
    }

    /**
     * Adds shadows to a placed VM that has a primary (see {@code OnlinePlacer.restoreShadows}), with the same
     * checks as {@link #place}.
     *
     * @param partialReason why the VM still has fewer shadows than its policy asks, or {@code null}
     */
    public Placement addShadows(String vmName, int[] hosts, String partialReason) {
        VmEntry e = entry(vmName);
        VmSpec vm = e.vm;
        if (e.primary < 0) {
            throw new ShadowVmException(vmName + ": has no primary (promote a shadow first)");
        }
        if (e.shadows.length + hosts.length > vm.policy().shadows()) {
            throw new ShadowVmException(vmName + ": " + (e.shadows.length + hosts.length) + " shadows (expected: at most "
                + vm.policy().shadows() + ")");
        }
        double sync = syncMbps(vm);
        int[] all = Arrays.copyOf(e.shadows, e.shadows.length + hosts.length);
        System.arraycopy(hosts, 0, all, e.shadows.length, hosts.length);
        for (int i = e.shadows.length; i < all.length; i++) {
            checks.fits(vm, all[i], vm.shadowVcpus(), vm.memoryMib(), sync, "shadow " + (i + 1));
            checks.separated(vm, e.primary, all[i]);
            for (int j = 0; j < i; j++) {
                checks.separated(vm, all[j], all[i]);
            }
        }
        int[] from = Arrays.copyOf(e.syncFromRack, all.length);
        for (int i = e.shadows.length; i < all.length; i++) {
            cap.reserve(all[i], vm.shadowVcpus(), vm.memoryMib(), sync);
            from[i] = cap.hostRack[e.primary];
            cap.addUplinkSync(from[i], cap.hostRack[all[i]], sync);
        }
        e.shadows = all;
        e.syncFromRack = from;
        e.partialReason = all.length < vm.policy().shadows() ? partialReason : null;
        return toPlacement(e);
    }

    /**
     * Changes how many shadows the VM's policy asks for (e.g. a user moved it from 1:1 to 1:2); the placed shadows
     * stay. Growing makes room for {@code OnlinePlacer.addShadow}; shrinking below the shadows placed is refused
     * (remove a shadow first), as is a count outside the policy's bounds.
     */
    public Placement changeShadowCount(String vmName, int shadows) {
        VmEntry e = entry(vmName);
        if (shadows < e.shadows.length) {
            throw new ShadowVmException(vmName + ": " + shadows + " shadows asked but " + e.shadows.length
                + " are placed (expected: at least " + e.shadows.length + ")");
        }
        ShadowPolicy p = e.vm.policy();
        ShadowPolicy next;
        try {
            next = new ShadowPolicy(shadows, p.mode(), p.avoid(), p.maxLagMs(), p.stalenessMs(), p.allowPartial(),
                p.outputCommit());
        } catch (IllegalArgumentException ex) {
            throw new ShadowVmException(vmName + ": " + ex.getMessage());
        }
        VmSpec v = e.vm;
        e.vm = new VmSpec(v.name(), v.vcpus(), v.memoryMib(), v.networkMbps(), next, v.communicatesWith());
        if (e.shadows.length == shadows) {
            e.partialReason = null;
        } else if (e.partialReason == null) {
            e.partialReason = e.shadows.length + " of " + shadows + " shadows placed";
        }
        return toPlacement(e);
    }

    /**
     * Moves the roles of several placed VMs at once (a rebalancing plan): every VM keeps its number of
     * shadows, and its entry (and its position in {@link #placements()}) stays. All the VMs' old reservations
     * are released first and the new ones checked and reserved afterwards, so plans that swap capacity
     * between VMs apply; if any VM's new roles break a hard constraint, everything is rolled back and a
     * {@link ShadowVmException} names it.
     *
     * @param rolesByVm for each VM: its new primary host index followed by its new shadow host indexes
     */
    public void moveAll(Map<String, int[]> rolesByVm) {
        List<VmEntry> entries = new ArrayList<>(rolesByVm.size());
        for (Map.Entry<String, int[]> m : rolesByVm.entrySet()) {
            VmEntry e = entry(m.getKey());
            if (e.primary < 0) {
                throw new ShadowVmException(m.getKey() + ": has no primary (promote a shadow first)");
            }
            if (m.getValue().length != e.shadows.length + 1) {
                throw new ShadowVmException(m.getKey() + ": " + (m.getValue().length - 1) + " shadows in the plan, "
                    + e.shadows.length + " placed (expected: the same number)");
            }
            entries.add(e);
        }
        int[] oldPrimary = new int[entries.size()];
        int[][] oldShadows = new int[entries.size()][];
        int[][] oldFrom = new int[entries.size()][];
        for (int i = 0; i < entries.size(); i++) {
            VmEntry e = entries.get(i);
            oldPrimary[i] = e.primary;
            oldShadows[i] = e.shadows;
            oldFrom[i] = e.syncFromRack;
            releaseRoles(e);
        }
        int done = 0;
        try {
            for (VmEntry e : entries) {
                int[] roles = rolesByVm.get(e.vm.name());
                int[] shadows = Arrays.copyOfRange(roles, 1, roles.length);
                checks.roles(e.vm, roles[0], shadows);
                e.primary = roles[0];
                e.shadows = shadows;
                e.syncFromRack = new int[shadows.length];
                Arrays.fill(e.syncFromRack, cap.hostRack[roles[0]]);
                reserveRoles(e);
                done++;
            }
        } catch (ShadowVmException ex) {
            for (int i = 0; i < done; i++) {
                releaseRoles(entries.get(i));
            }
            for (int i = 0; i < entries.size(); i++) {
                VmEntry e = entries.get(i);
                e.primary = oldPrimary[i];
                e.shadows = oldShadows[i];
                e.syncFromRack = oldFrom[i];
                reserveRoles(e);
            }
            throw ex;
        }
    }

    // ---- internals ---------------------------------------------------------------------------------

    private void reserveRoles(VmEntry e) {
        VmSpec vm = e.vm;
        if (e.primary >= 0) {
            cap.reserve(e.primary, vm.vcpus(), vm.memoryMib(), vm.networkMbps());
        }
        double sync = syncMbps(vm);
        for (int i = 0; i < e.shadows.length; i++) {
            cap.reserve(e.shadows[i], vm.shadowVcpus(), vm.memoryMib(), sync);
            if (e.syncFromRack[i] >= 0) {
                cap.addUplinkSync(e.syncFromRack[i], cap.hostRack[e.shadows[i]], sync);
            }
        }
    }

    private void releaseRoles(VmEntry e) {
        VmSpec vm = e.vm;
        if (e.primary >= 0) {
            cap.release(e.primary, vm.vcpus(), vm.memoryMib(), vm.networkMbps());
        }
        double sync = syncMbps(vm);
        for (int i = 0; i < e.shadows.length; i++) {
            cap.release(e.shadows[i], vm.shadowVcpus(), vm.memoryMib(), sync);
            if (e.syncFromRack[i] >= 0) {
                cap.addUplinkSync(e.syncFromRack[i], cap.hostRack[e.shadows[i]], -sync);
            }
        }
    }

    /** The entry of a placed VM; a {@link ShadowVmException} when it is not placed. */
    VmEntry entry(String vmName) {
        VmEntry e = vms.get(vmName);
        if (e == null) {
            throw new ShadowVmException(vmName + ": not placed (" + vms.size() + " VMs are)");
        }
        return e;
    }

    Placement toPlacement(VmEntry e) {
        return new Placement(e.vm, e.primary < 0 ? null : topology.host(e.primary).name(), e.primary,
            hostNames(e.shadows), e.shadows.clone(), e.partialReason);
    }

    List<String> hostNames(int[] hosts) {
        List<String> l = new ArrayList<>(hosts.length);
        for (int h : hosts) {
            l.add(topology.host(h).name());
        }
        return List.copyOf(l);
    }

    /** Live host indexes (a copy). */
    public int[] aliveHosts() {
        int n = 0;
        for (boolean a : cap.hostAlive) {
            n += a ? 1 : 0;
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < cap.hostAlive.length; i++) {
            if (cap.hostAlive[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** The specs of all placed VMs, in placement order. */
    public Collection<VmSpec> placedVms() {
        List<VmSpec> l = new ArrayList<>(vms.size());
        for (VmEntry e : vms.values()) {
            l.add(e.vm);
        }
        return l;
    }
}
