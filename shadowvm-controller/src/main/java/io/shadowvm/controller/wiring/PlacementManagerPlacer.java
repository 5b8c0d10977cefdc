package io.shadowvm.controller.wiring;

import io.shadowvm.controller.loop.Placer;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.vm.FailureDomain;
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
 * The loop's placer on shadowvm-placement: new VMs go through {@link OnlinePlacer} (filter-then-weigh,
 * rack/pod/power separation, sync headroom, named infeasibility) over a {@link ClusterState} that mirrors
 * what runs where and which hosts are usable. A replacement shadow (after a failover) is chosen against the
 * same state: the usable host that fits, shares no avoided domain with the primary or the other shadows,
 * and has the most sync headroom on its path to the primary — the placer's own preference for shadows.
 *
 * <p>The mirror is rebuilt when the set of usable hosts changes (the placement module has no way to bring a
 * host back into service), replaying every assignment whose hosts are usable.
 */
public final class PlacementManagerPlacer implements Placer {
    private final Topology topology;
    private final long seed;
    private final Map<String, Assignment> assignments = new LinkedHashMap<>();
    private Set<String> usable = Set.of();
    private ClusterState state;
    private OnlinePlacer placer;

    private record Assignment(VmSpec vm, String primary, List<String> shadows) {
    }

    public PlacementManagerPlacer(Topology topology, long seed) {
        this.topology = topology;
        this.seed = seed;
        rebuild(Set.of());
    }

    private void ensure(Set<String> usableHosts) {
        if (!usableHosts.equals(usable)) {
            rebuild(usableHosts);
        }
    }

    private void rebuild(Set<String> usableHosts) {
        usable = Set.copyOf(usableHosts);
        state = new ClusterState(topology);
        for (Host h : topology.hosts()) {
            if (!usable.contains(h.name())) {
                state.removeHost(h.name());
            }
        }
        placer = new OnlinePlacer(state, seed);
        for (Assignment a : assignments.values()) {
            mirror(a);
        }
    }

    /** Records an assignment in the mirror, keeping only roles on usable hosts (partial placements allowed). */
    private void mirror(Assignment a) {
        if (state.isPlaced(a.vm().name())) {
            state.remove(a.vm().name());
        }
        if (!usable.contains(a.primary())) {
            return;
        }
        List<Integer> sh = new ArrayList<>();
        for (String s : a.shadows()) {
            if (usable.contains(s)) {
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
        } catch (RuntimeException e) {
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
        if (state.isPlaced(vm.name())) {
            state.remove(vm.name());
        }
        int primary = topology.host(primaryHost).index();
        Set<Integer> taken = new HashSet<>();
        taken.add(primary);
        for (String o : otherShadowHosts) {
            taken.add(topology.host(o).index());
        }
        double sync = state.syncMbps(vm);
        int best = -1;
        double bestHeadroom = Double.NEGATIVE_INFINITY;
        for (Host h : topology.hosts()) {
            int i = h.index();
            if (!usable.contains(h.name()) || taken.contains(i) || !state.fits(i, vm.shadowVcpus(), vm.memoryMib(), sync)
                || clashes(vm, i, taken)) {
                continue;
            }
            double headroom = state.pathHeadroomMbps(primary, i, sync);
            if (headroom > bestHeadroom) {
                bestHeadroom = headroom;
                best = i;
            }
        }
        List<String> shadows = new ArrayList<>(otherShadowHosts);
        if (best >= 0) {
            shadows.add(topology.host(best).name());
        }
        update(vm, primaryHost, shadows);
        return best < 0 ? null : topology.host(best).name();
    }

    private boolean clashes(VmSpec vm, int host, Set<Integer> taken) {
        for (int t : taken) {
            if (state.rackOf(t) == state.rackOf(host)
                || vm.policy().avoids(FailureDomain.POD) && state.podOf(t) == state.podOf(host)
                || vm.policy().avoids(FailureDomain.POWER)
                && state.powerOfRack(state.rackOf(t)) == state.powerOfRack(state.rackOf(host))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void update(VmSpec vm, String primaryHost, List<String> shadowHosts) {
        Assignment a = new Assignment(vm, primaryHost, List.copyOf(shadowHosts));
        assignments.put(vm.name(), a);
        mirror(a);
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
        return "shadowvm-placement OnlinePlacer over ClusterState (replacement shadows: most sync headroom)";
    }
}
