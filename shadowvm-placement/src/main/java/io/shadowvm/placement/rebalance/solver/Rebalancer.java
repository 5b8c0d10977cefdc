package io.shadowvm.placement.rebalance.solver;

import ai.timefold.solver.core.api.score.buildin.hardsoftlong.HardSoftLongScore;
import ai.timefold.solver.core.api.score.analysis.ScoreAnalysis;
import ai.timefold.solver.core.api.solver.ScoreAnalysisFetchPolicy;
import ai.timefold.solver.core.api.solver.SolutionManager;
import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.localsearch.decider.acceptor.AcceptorType;
import ai.timefold.solver.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import ai.timefold.solver.core.config.localsearch.decider.forager.LocalSearchForagerConfig;
import ai.timefold.solver.core.config.localsearch.LocalSearchType;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Rack;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.VmSpec;
import io.shadowvm.placement.ClusterState;
import io.shadowvm.placement.Placement;
import io.shadowvm.placement.rebalance.domain.HostFact;
import io.shadowvm.placement.rebalance.domain.RackFact;
import io.shadowvm.placement.rebalance.domain.RebalancePlan;
import io.shadowvm.placement.rebalance.domain.RoleAssignment;
import io.shadowvm.placement.rebalance.domain.VmFact;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Improves a whole cluster's placement with Timefold Solver (local search from today's placement, within a
 * time limit and optionally a step limit; no construction phase: every role already has a host) and returns the best plan found plus the moves that lead to it. Roles move; their
 * number does not change (placing missing shadows is the online placer's job). VMs whose primary host
 * failed are left out until a shadow is promoted.
 */
public final class Rebalancer {
    static final int HILL_CLIMBING_CANDIDATES = 8;
    private final SolverFactory<RebalancePlan> factory;
    private final SolutionManager<RebalancePlan, HardSoftLongScore> scorer;

    /** A role that changes host. {@code role} is 0 for the primary, k for shadow k. */
    public record Move(String vm, int role, String fromHost, String toHost) {
        @Override
        public String toString() {
            return vm + (role == 0 ? " primary " : " shadow " + role + " ") + fromHost + " -> " + toHost;
        }
    }

    /** The starting and best scores, the best plan, and the moves from today's placement to it. */
    public record Result(HardSoftLongScore startScore, HardSoftLongScore bestScore, RebalancePlan bestPlan,
                         List<Move> moves, long millis) {
        public Result {
            moves = List.copyOf(moves);
        }

        /** Soft score gained (positive is better). */
        public long softGained() {
            return bestScore.softScore() - startScore.softScore();
        }
    }

    /**
     * @param timeLimit  how long to search (always required: a step limit alone would wait forever for a
     *                   step when no move is acceptable)
     * @param stepLimit  also stop after this many local-search steps, or {@code null} (tests use it)
     */
    public Rebalancer(Duration timeLimit, Integer stepLimit, long seed) {
        this(timeLimit, stepLimit, seed, LocalSearchType.HILL_CLIMBING);
    }

    /**
     * @param search the local search; the default, hill climbing, takes only moves that pay for themselves, so
     *               the plan stays short (late acceptance wanders: many more moves for a similar gain)
     */
    public Rebalancer(Duration timeLimit, Integer stepLimit, long seed, LocalSearchType search) {
        TerminationConfig termination = new TerminationConfig().withSpentLimit(timeLimit);
        if (stepLimit != null) {
            termination.setStepCountLimit(stepLimit);
        }
        SolverConfig config = new SolverConfig()
            .withSolutionClass(RebalancePlan.class)
            .withEntityClasses(RoleAssignment.class)
            .withConstraintProviderClass(RebalanceConstraintProvider.class)
            .withRandomSeed(seed)
            .withEnvironmentMode(EnvironmentMode.NO_ASSERT)
            .withTerminationConfig(termination)
            .withPhases(phase(search));
        this.factory = SolverFactory.create(config);
        this.scorer = SolutionManager.create(factory);
    }

    /**
     * Hill climbing takes the best of {@value #HILL_CLIMBING_CANDIDATES} non-worsening moves per step: Timefold
     * clones the solution at every new best, which costs O(roles), so a step should weigh many cheap move
     * evaluations rather than one.
     */
    private static LocalSearchPhaseConfig phase(LocalSearchType search) {
        if (search != LocalSearchType.HILL_CLIMBING) {
            return new LocalSearchPhaseConfig().withLocalSearchType(search);
        }
        return new LocalSearchPhaseConfig()
            .withAcceptorConfig(new LocalSearchAcceptorConfig().withAcceptorTypeList(List.of(AcceptorType.HILL_CLIMBING)))
            .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(HILL_CLIMBING_CANDIDATES));
    }

    public static Rebalancer withTimeLimit(Duration limit, long seed) {
        return new Rebalancer(limit, null, seed);
    }

    /** Today's placement of {@code state} as a plan (every role on its current host). */
    public static RebalancePlan planOf(ClusterState state) {
        Topology t = state.topology();
        List<RackFact> racks = new ArrayList<>(t.racks().size());
        for (Rack r : t.racks()) {
            racks.add(new RackFact(r.index(), r.name(), r.pod(), state.powerOfRack(r.index()),
                (long) Math.floor(r.uplinkGbps() * 1000)));
        }
        HostFact[] byIndex = new HostFact[t.hosts().size()];
        List<HostFact> hosts = new ArrayList<>();
        for (Host h : t.hosts()) {
            if (state.isAlive(h.index())) {
                byIndex[h.index()] = new HostFact(h.index(), h.name(), racks.get(h.rack()), h.cores(), h.memoryMib(),
                    (long) Math.floor(h.nicGbps() * 1000));
                hosts.add(byIndex[h.index()]);
            }
        }
        List<VmFact> vms = new ArrayList<>();
        List<RoleAssignment> roles = new ArrayList<>();
        long id = 0;
        for (Placement p : state.placements()) {
            if (p.primaryIndex() < 0) {
                continue;
            }
            VmSpec s = p.vm();
            VmFact vm = new VmFact(s.name(), s.vcpus(), s.shadowVcpus(), s.memoryMib(), (long) Math.ceil(s.networkMbps()),
                (long) Math.ceil(state.syncMbps(s)), p.shadows().size(), s.policy().avoids(FailureDomain.POD),
                s.policy().avoids(FailureDomain.POWER));
            vms.add(vm);
            HostFact primary = byIndex[p.primaryIndex()];
            roles.add(new RoleAssignment(id++, vm, 0, primary, primary));
            for (int i = 0; i < p.shadows().size(); i++) {
                HostFact h = byIndex[p.shadowIndex(i)];
                roles.add(new RoleAssignment(id++, vm, i + 1, h, h));
            }
        }
        return new RebalancePlan(racks, hosts, vms, roles);
    }

    /** Scores a plan with the constraint provider (and stores the score in it). */
    public HardSoftLongScore score(RebalancePlan plan) {
        return scorer.update(plan);
    }

    /** Solves from today's placement of {@code state}; does not change the state (see {@link #apply}). */
    public Result solve(ClusterState state) {
        long start = System.nanoTime();
        RebalancePlan plan = planOf(state);
        HardSoftLongScore startScore = score(plan);
        Solver<RebalancePlan> solver = factory.buildSolver();
        RebalancePlan best = solver.solve(plan);
        HardSoftLongScore bestScore = score(best);
        if (bestScore.compareTo(startScore) < 0) {
            // cannot happen with local search from a scored start, but never hand back something worse
            best = planOf(state);
            bestScore = score(best);
        }
        return new Result(startScore, bestScore, best, movesOf(best), (System.nanoTime() - start) / 1_000_000);
    }

    /** The score of each constraint of the plan, by constraint name, in the provider's order. */
    public Map<String, HardSoftLongScore> scoreByConstraint(RebalancePlan plan) {
        ScoreAnalysis<HardSoftLongScore> analysis = scorer.analyze(plan, ScoreAnalysisFetchPolicy.FETCH_SHALLOW);
        Map<String, HardSoftLongScore> byName = new LinkedHashMap<>();
        analysis.constraintMap().forEach((ref, c) -> byName.put(c.constraintName(), c.score()));
        return byName;
    }

    public static List<Move> movesOf(RebalancePlan plan) {
        List<Move> moves = new ArrayList<>();
        for (RoleAssignment a : plan.getAssignments()) {
            if (a.isMoved()) {
                moves.add(new Move(a.getVm().name(), a.getRole(), a.getCurrentHost().name(), a.getHost().name()));
            }
        }
        return moves;
    }

    /**
     * Makes {@code state} follow the result's plan with {@link ClusterState#moveAll} (all or nothing; every VM
     * is re-checked, and keeps its place in the state's order). Refuses a plan that breaks a hard constraint.
     */
    public static void apply(ClusterState state, Result result) {
        if (!result.bestScore().isFeasible()) {
            throw new ShadowVmException("rebalance plan breaks hard constraints (score " + result.bestScore()
                + "); not applied");
        }
        Map<String, int[]> rolesByVm = new LinkedHashMap<>();
        for (RoleAssignment a : result.bestPlan().getAssignments()) {
            if (a.isMoved()) {
                rolesByVm.put(a.getVm().name(), null);
            }
        }
        for (RoleAssignment a : result.bestPlan().getAssignments()) {
            if (rolesByVm.containsKey(a.getVm().name())) {
                int[] roles = rolesByVm.get(a.getVm().name());
                if (roles == null) {
                    roles = new int[a.getVm().shadows() + 1];
                    rolesByVm.put(a.getVm().name(), roles);
                }
                roles[a.getRole()] = a.getHost().index();
            }
        }
        state.moveAll(rolesByVm);
    }
}
