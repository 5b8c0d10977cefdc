package io.shadowvm.controller.failover;

import io.shadowvm.controller.command.AgentAction;
import io.shadowvm.controller.model.ShadowReplica;
import io.shadowvm.controller.model.ShadowState;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to do when a host dies, as a pure function of the placements:
 * <ol>
 *   <li>the dead host is fenced: it gets a new fencing epoch (the caller persists it first) and a
 *       {@link AgentAction.Fence} naming its primaries, delivered if it ever comes back;</li>
 *   <li>for every VM whose primary ran there, the promotable shadow with the highest acknowledged epoch
 *       (ties: IN_SYNC before LAGGING, then lower lag, then host name) moves to PROMOTING, the VM's
 *       generation is raised, and a {@link AgentAction.Promote} is sent to it; with no promotable shadow
 *       the VM is LOST;</li>
 *   <li>every shadow on the dead host becomes FAILED (reconciliation replaces it); a VM whose promotion was in
 *       flight to the dead host goes on with its next best shadow (a new generation again), or is LOST.</li>
 * </ol>
 * A primary whose guest died on a live host ({@link #planVmDeath}) is failed over alone: its generation is
 * raised (the VM-level fence: the caller persists it before sending anything), the dead instance is stopped
 * ({@link AgentAction.StopVm} of the old generation, which also makes the agent drop whatever is left of it), and
 * its best shadow is promoted; the host and its other VMs are untouched.
 * Traffic moves when the promotion's outcome arrives (see {@link #completePromotion}).
 */
public final class FailoverPlanner {
    private FailoverPlanner() {
    }

    /** The shadow chosen for a VM. */
    public record VmFailover(String vm, String deadHost, String promotedHost, long newGeneration, long ackedEpoch,
                             long rpoEpochs) {
    }

    /** The result: updated placements (only changed VMs), failovers started, VMs lost, actions to send. */
    public record Plan(String deadHost, long fencingEpoch, Map<String, VmPlacement> updated, List<VmFailover> failovers,
                       List<String> lost, List<AgentAction> actions) {
        public Plan {
            updated = Map.copyOf(updated);
            failovers = List.copyOf(failovers);
            lost = List.copyOf(lost);
            actions = List.copyOf(actions);
        }
    }

    static final Comparator<ShadowReplica> BEST_FIRST = Comparator
        .comparingLong(ShadowReplica::ackedEpoch).reversed()
        .thenComparing(s -> s.state() == ShadowState.IN_SYNC ? 0 : 1)
        .thenComparingLong(ShadowReplica::lagMs)
        .thenComparing(ShadowReplica::host);

    /**
     * Plans the failover of {@code deadHost} given every VM's placement; {@code unavailableHosts} are hosts
     * (dead or suspect) no shadow may be promoted on.
     */
    public static Plan plan(String deadHost, long newFencingEpoch, Map<String, VmPlacement> placements,
                            Set<String> unavailableHosts) {
        Map<String, VmPlacement> updated = new LinkedHashMap<>();
        List<VmFailover> failovers = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        List<AgentAction> actions = new ArrayList<>();
        List<String> fencedPrimaries = new ArrayList<>();
        for (VmPlacement p : placements.values()) {
            VmPlacement next = p;
            if (p.shadowOn(deadHost) != null) {
                next = next.mapShadow(deadHost, s -> s.state().terminal() ? s : s.withState(ShadowState.FAILED, p.vm()));
            }
            if (p.phase() == VmPhase.FAILING_OVER && !deadHost.equals(p.primaryHost()) && p.shadowOn(deadHost) != null
                && p.shadowOn(deadHost).state() == ShadowState.PROMOTING) {
                VmFailover f = choose(next, p.primaryHost(), unavailableHosts);
                if (f == null) {
                    next = next.withPhase(VmPhase.LOST);
                    lost.add(p.vm());
                } else {
                    next = next.mapShadow(f.promotedHost(), s -> s.withState(ShadowState.PROMOTING, p.vm()))
                        .withPrimary(p.primaryHost(), f.newGeneration(), p.primaryEpoch(), p.serviceAddress());
                    failovers.add(f);
                    actions.add(new AgentAction.Promote(f.promotedHost(), p.vm(), f.newGeneration(), f.ackedEpoch()));
                }
            }
            if (deadHost.equals(p.primaryHost()) && p.phase() != VmPhase.LOST && p.phase() != VmPhase.DELETING) {
                fencedPrimaries.add(p.vm());
                VmFailover f = choose(next, deadHost, unavailableHosts);
                if (f == null) {
                    next = next.withPhase(VmPhase.LOST);
                    lost.add(p.vm());
                } else {
                    next = next.mapShadow(f.promotedHost(), s -> s.withState(ShadowState.PROMOTING, p.vm()))
                        .withPhase(VmPhase.FAILING_OVER)
                        .withPrimary(p.primaryHost(), f.newGeneration(), p.primaryEpoch(), p.serviceAddress());
                    failovers.add(f);
                    actions.add(new AgentAction.Promote(f.promotedHost(), p.vm(), f.newGeneration(), f.ackedEpoch()));
                }
            }
            if (next != p) {
                updated.put(p.vm(), next);
            }
        }
        actions.add(0, new AgentAction.Fence(deadHost, newFencingEpoch, fencedPrimaries,
            "host " + deadHost + " was declared dead; fencing epoch " + newFencingEpoch));
        return new Plan(deadHost, newFencingEpoch, updated, failovers, lost, actions);
    }

    /**
     * Plans the failover of one VM whose primary guest on the live host {@code host} died ({@code reason} goes
     * into the stop command); {@code unavailableHosts} as in {@link #plan}.
     */
    public static Plan planVmDeath(VmPlacement p, String host, Set<String> unavailableHosts, String reason) {
        List<AgentAction> actions = new ArrayList<>();
        actions.add(new AgentAction.StopVm(host, p.vm(), p.generation(), reason));
        VmFailover f = choose(p, host, unavailableHosts);
        if (f == null) {
            return new Plan(host, 0, Map.of(p.vm(), p.withPhase(VmPhase.LOST)), List.of(), List.of(p.vm()), actions);
        }
        VmPlacement next = p.mapShadow(f.promotedHost(), s -> s.withState(ShadowState.PROMOTING, p.vm()))
            .withPhase(VmPhase.FAILING_OVER)
            .withPrimary(p.primaryHost(), f.newGeneration(), p.primaryEpoch(), p.serviceAddress());
        actions.add(new AgentAction.Promote(f.promotedHost(), p.vm(), f.newGeneration(), f.ackedEpoch()));
        return new Plan(host, 0, Map.of(p.vm(), next), List.of(f), List.of(), actions);
    }

    /** The best promotable shadow of {@code p} not on an unavailable host, or {@code null}. */
    public static VmFailover choose(VmPlacement p, String deadHost, Set<String> unavailableHosts) {
        ShadowReplica best = null;
        for (ShadowReplica s : p.shadows()) {
            if (s.state().promotable() && !s.host().equals(deadHost) && !unavailableHosts.contains(s.host())
                && (best == null || BEST_FIRST.compare(s, best) < 0)) {
                best = s;
            }
        }
        if (best == null) {
            return null;
        }
        long rpo = Math.max(0, p.primaryEpoch() - best.ackedEpoch());
        return new VmFailover(p.vm(), deadHost, best.host(), p.generation() + 1, best.ackedEpoch(), rpo);
    }

    /**
     * The promoted shadow on {@code host} reported serving from {@code resumedEpoch}: it becomes the
     * primary; the other live shadows stay (they re-sync from the new primary) and the VM runs again.
     */
    public static VmPlacement completePromotion(VmPlacement p, String host, long resumedEpoch, String serviceAddress) {
        List<ShadowReplica> rest = new ArrayList<>();
        for (ShadowReplica s : p.shadows()) {
            if (s.host().equals(host)) {
                s.withState(ShadowState.PRIMARY, p.vm()); // validates PROMOTING → PRIMARY
            } else if (!s.state().terminal()) {
                rest.add(s.state() == ShadowState.SYNCING ? s
                    : new ShadowReplica(s.host(), ShadowState.SYNCING, 0, 0, s.serving(), ""));
            }
        }
        return new VmPlacement(p.vm(), VmPhase.RUNNING, host, p.generation(), resumedEpoch, serviceAddress, rest,
            p.weightsVersion());
    }

    /** The promotion on {@code host} failed: that shadow is FAILED and the next best one is tried. */
    public static Plan promotionFailed(VmPlacement p, String host, String deadHost, Set<String> unavailableHosts) {
        VmPlacement next = p.mapShadow(host, s -> s.withState(ShadowState.FAILED, p.vm()));
        VmFailover f = choose(next, deadHost, unavailableHosts);
        if (f == null) {
            return new Plan(deadHost, 0, Map.of(p.vm(), next.withPhase(VmPhase.LOST)), List.of(), List.of(p.vm()), List.of());
        }
        VmPlacement promoting = next.mapShadow(f.promotedHost(), s -> s.withState(ShadowState.PROMOTING, p.vm()))
            .withPrimary(p.primaryHost(), f.newGeneration(), p.primaryEpoch(), p.serviceAddress());
        return new Plan(deadHost, 0, Map.of(p.vm(), promoting), List.of(f), List.of(),
            List.of(new AgentAction.Promote(f.promotedHost(), p.vm(), f.newGeneration(), f.ackedEpoch())));
    }
}
