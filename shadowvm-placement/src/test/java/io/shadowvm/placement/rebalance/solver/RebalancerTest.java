package io.shadowvm.placement.rebalance.solver;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import io.shadowvm.placement.ClusterState;
import io.shadowvm.placement.OnlinePlacer;
import io.shadowvm.placement.Placement;
import io.shadowvm.placement.rebalance.domain.RebalancePlan;
import io.shadowvm.placement.rebalance.domain.RoleAssignment;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RebalancerTest {
    private static final Topology TOPOLOGY = TopologyGenerator.generate(new TopologyGenerator.Spec(2, 3, 4, 1, false, 40, "dc"));

    private static VmSpec vm(String name, int shadows) {
        return new VmSpec(name, 4, 16384, 200, new ShadowPolicy(shadows, ShadowMode.SERVING,
            EnumSet.of(FailureDomain.RACK), 1000, 2000, false, false), List.of());
    }

    /** Every VM's primary on the first host of rack 0 or 1 and shadows piled on the first hosts of other racks. */
    private static ClusterState crowded() {
        ClusterState s = new ClusterState(TOPOLOGY);
        for (int i = 0; i < 12; i++) {
            int primary = (i % 2) * 4;       // p1r1h1 or p1r2h1
            int shadow = 8 + (i % 2) * 12;   // p1r3h1 or p2r3h1 ... different racks
            s.place(vm("vm-" + i, 1), primary, new int[] {shadow}, null);
        }
        return s;
    }

    private static Rebalancer steps(int steps) {
        return new Rebalancer(Duration.ofSeconds(5), steps, 3);
    }

    @Test
    void shouldBuildAPlanWithOneAssignmentPerRoleOnItsCurrentHost() {
        ClusterState s = crowded();
        RebalancePlan plan = Rebalancer.planOf(s);
        assertThat(plan.getAssignments()).hasSize(24);
        assertThat(plan.getHosts()).hasSize(24);
        assertThat(plan.getAssignments()).noneMatch(RoleAssignment::isMoved);
        assertThat(steps(1).score(plan).isFeasible()).isTrue();
    }

    @Test
    void shouldGainSoftScoreOnACrowdedClusterAndApplyTheMovesWithoutBreakingAHardConstraint() {
        ClusterState s = crowded();
        Rebalancer.Result r = steps(40).solve(s);
        assertThat(r.bestScore().isFeasible()).isTrue();
        assertThat(r.softGained()).isPositive();
        assertThat(r.moves()).isNotEmpty();
        Rebalancer.apply(s, r);
        RebalancePlan after = Rebalancer.planOf(s);
        // applied: the new placement is today's, so it scores the best score minus the move costs
        assertThat(steps(1).score(after).softScore())
            .isEqualTo(r.bestScore().softScore() + r.moves().size() * (RebalanceConstraintProvider.MOVE_BASE_COST + 16));
        for (Placement p : s.placements()) {
            assertThat(s.rackOf(p.primaryIndex())).isNotEqualTo(s.rackOf(p.shadowIndex(0)));
        }
        for (int h = 0; h < s.hostCount(); h++) {
            assertThat(s.freeCores(h)).isNotNegative();
            assertThat(s.freeMemoryMib(h)).isNotNegative();
        }
    }

    @Test
    void shouldListEveryMovedRoleWithItsOldAndNewHost() {
        Rebalancer.Result r = steps(20).solve(crowded());
        for (Rebalancer.Move m : r.moves()) {
            assertThat(m.fromHost()).isNotEqualTo(m.toHost());
            assertThat(m.toString()).contains(m.vm()).contains(" -> ");
        }
    }

    @Test
    void shouldApplyAPlanThatMovesVmsWhichLostAShadowToAHostFailure() {
        ClusterState s = crowded();
        s.removeHost("p1r3h1");
        Rebalancer.Result r = steps(40).solve(s);
        Rebalancer.apply(s, r);
        assertThat(s.placements()).hasSize(12);
        assertThat(s.placements().stream().filter(p -> p.shadows().isEmpty()).count()).isEqualTo(6);
        for (Placement p : s.placements()) {
            for (int i = 0; i < p.shadows().size(); i++) {
                assertThat(s.rackOf(p.shadowIndex(i))).isNotEqualTo(s.rackOf(p.primaryIndex()));
            }
        }
    }

    @Test
    void shouldLeaveOutAVmThatLostItsPrimaryUntilAShadowIsPromoted() {
        ClusterState s = new ClusterState(TOPOLOGY);
        OnlinePlacer p = new OnlinePlacer(s, 1);
        Placement a = p.place(vm("a", 1));
        p.place(vm("b", 1));
        s.removeHost(a.primary());
        RebalancePlan plan = Rebalancer.planOf(s);
        assertThat(plan.getVms()).extracting(v -> v.name()).containsExactly("b");
        assertThat(plan.getHosts()).hasSize(23);
    }
}
