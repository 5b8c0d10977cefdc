package io.shadowvm.controller.wiring;

import io.shadowvm.controller.loop.Placer;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import io.shadowvm.placement.ClusterState;
import io.shadowvm.placement.OnlinePlacer;
import io.shadowvm.placement.Placement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The loop's placer on shadowvm-placement: one {@link ClusterState} for the placer's lifetime mirrors what runs
 * where; new VMs go through {@link OnlinePlacer#place} and replacement shadows through
 * {@link OnlinePlacer#addShadow} (filter-then-weigh, rack/pod/power separation, sync headroom, named
 * infeasibility). The loop's view is authoritative: every assignment it reports is kept, and mirrored with the
 * roles whose hosts are in service.
 *
 * <p>Hosts, in the state: every host starts out of service and enters ({@link ClusterState#returnHost}) when it
 * becomes usable; a host that stops being usable (suspected, disconnected, dead) is taken out
 * ({@link ClusterState#removeHost}) and comes back by itself when it is usable again, its roles re-mirrored
 * from the loop's view. A host whose primary the loop moved elsewhere was failed over (the loop moves primaries
 * only then): what still runs there is stale, so once out it stays out until the loop says it is back
 * ({@link #hostBackInService}, when its fenced agent re-registers), and then returns with its capacity free.
 */
public final class PlacementManagerPlacer implements Placer {
    private final Topology topology;
    private final Map<String, Assignment> assignments = new LinkedHashMap<>();
    private final Set<String> failedOver = new HashSet<>();
    private final ClusterState state;
    private final OnlinePlacer placer;

    private record Assignment(VmSpec vm, String primary, List<String> shadows) {
    }

    public PlacementManagerPlacer(Topology topology, long seed) {
        this.topology = topology;
        this.state = new ClusterState(topology);
        for (Host h : topology.hosts()) {
            state.removeHost(h.name()); // nothing is placed on a host before its agent registered
        }
        this.placer = new OnlinePlacer(state, seed);
    }

    /** Makes the state's in-service hosts follow the loop's usable hosts (failed-over hosts wait to be told). */
    private void ensure(Set<String> usableHosts) {
        for (Host h : topology.hosts()) {
            boolean in = state.isAlive(h.index());
            boolean usable = usableHosts.contains(h.name());
            if (in && !usable) {
                state.removeHost(h.name());
            } else if (in) {
                failedOver.remove(h.name()); // in service and usable again: nothing stale holds it any more
            } else if (!in && usable && !failedOver.contains(h.name())) {
                enter(h.name());
            }
        }
    }

    private void enter(String host) {
        state.returnHost(host);
        failedOver.remove(host);
        for (Assignment a : assignments.values()) {
            if (a.primary().equals(host) || a.shadows().contains(host)) {
                mirror(a);
            }
        }
    }

    /** Records an assignment in the mirror, keeping only roles on hosts in service (partial placements allowed). */
    private void mirror(Assignment a) {
        if (state.isPlaced(a.vm().name())) {
            state.remove(a.vm().name());
        }
        if (!topology.hasHost(a.primary()) || !state.isAlive(topology.host(a.primary()).index())) {
            return;
        }
        List<Integer> sh = new ArrayList<>();
        for (String s : a.shadows()) {
            if (topology.hasHost(s) && state.isAlive(topology.host(s).index())) {
                sh.add(topology.host(s).index());
            }
        }
        ShadowPolicy p = a.vm().policy();
        VmSpec lenient = new VmSpec(a.vm().name(), a.vm().vcpus(), a.vm().memoryMib(), a.vm().networkMbps(),
            new ShadowPolicy(p.shadows(), p.mode(), p.avoid(), p.maxLagMs(), p.stalenessMs(), true, p.outputCommit()),
            a.vm().communicatesWith());
        try {
            state.place(lenient, topology.host(a.primary()).index(), sh.stream().mapToInt(Integer::intValue).toArray(),
                sh.size() < p.shadows() ? "restoring" : null);
        } catch (ShadowVmException e) {
            // over capacity after a failover moved roles around: the loop's view stays authoritative; the
            // mirror simply does not reserve this VM until its roles fit again
        }
    }

    @Override
    public Choice place(VmSpec vm, Set<String> usableHosts) {
        ensure(usableHosts);
        if (state.isPlaced(vm.name())) {
            state.remove(vm.name());
        }
        Placement p = placer.place(vm);
        assignments.put(vm.name(), new Assignment(vm, p.primary(), p.shadows()));
        return new Choice(p.primary(), p.shadows(), p.partialReason());
    }

    @Override
    public String placeShadow(VmSpec vm, String primaryHost, List<String> otherShadowHosts, Set<String> usableHosts) {
        ensure(usableHosts);
        update(vm, primaryHost, otherShadowHosts);
        if (!state.isPlaced(vm.name()) || state.primaryOf(vm.name()) < 0) {
            return null; // the primary's host is out of service: no sync stream can start from it now
        }
        Placement p;
        try {
            p = placer.addShadow(vm.name());
        } catch (ShadowVmException e) {
            return null; // PlacementInfeasibleException (the constraint no host met), or no shadow is missing
        }
        String added = p.shadows().get(p.shadows().size() - 1);
        List<String> shadows = new ArrayList<>(otherShadowHosts);
        shadows.add(added);
        assignments.put(vm.name(), new Assignment(vm, primaryHost, List.copyOf(shadows)));
        return added;
    }

    @Override
    public void update(VmSpec vm, String primaryHost, List<String> shadowHosts) {
        Assignment before = assignments.get(vm.name());
        if (before != null && !before.primary().equals(primaryHost) && topology.hasHost(before.primary())) {
            failedOver.add(before.primary()); // the loop moves a primary only by failing over: what runs there is stale
        }
        Assignment a = new Assignment(vm, primaryHost, List.copyOf(shadowHosts));
        assignments.put(vm.name(), a);
        mirror(a);
    }

    @Override
    public void hostBackInService(String host) {
        if (state.isAlive(topology.host(host).index())) { // an unknown host: a ShadowVmException naming it
            state.removeHost(host); // drops whatever the mirror still reserved for its stale instances
        }
        enter(host);
    }

    @Override
    public void release(String vm) {
        assignments.remove(vm);
        if (state.isPlaced(vm)) {
            state.remove(vm);
        }
    }

    @Override
    public String describe() {
        return "shadowvm-placement OnlinePlacer over ClusterState (replacement shadows: OnlinePlacer.addShadow)";
    }

    /** Whether the mirror has {@code host} in service (for tests and status). */
    public boolean inService(String host) {
        return state.isAlive(topology.host(host).index());
    }
}
