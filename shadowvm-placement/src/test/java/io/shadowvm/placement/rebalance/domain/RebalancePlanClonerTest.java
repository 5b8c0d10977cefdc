package io.shadowvm.placement.rebalance.domain;

import static org.assertj.core.api.Assertions.assertThat;

import ai.timefold.solver.core.api.score.buildin.hardsoftlong.HardSoftLongScore;
import java.util.List;
import org.junit.jupiter.api.Test;

class RebalancePlanClonerTest {
    @Test
    void shouldCopyEveryAssignmentAndShareTheFacts() {
        RackFact rack = new RackFact(0, "r1", 0, 0, 1000);
        HostFact h1 = new HostFact(0, "h1", rack, 8, 8192, 1000);
        HostFact h2 = new HostFact(1, "h2", rack, 8, 8192, 1000);
        VmFact vm = new VmFact("vm", 1, 0, 1024, 10, 10, 0, false, false);
        RoleAssignment role = new RoleAssignment(7, vm, 0, h1, h1);
        RebalancePlan plan = new RebalancePlan(List.of(rack), List.of(h1, h2), List.of(vm), List.of(role));
        plan.setScore(HardSoftLongScore.of(0, -5));

        RebalancePlan clone = new RebalancePlanCloner().cloneSolution(plan);
        RoleAssignment copy = clone.getAssignments().get(0);
        copy.setHost(h2);

        assertThat(copy).isNotSameAs(role);
        assertThat(copy.getId()).isEqualTo(7L);
        assertThat(copy.getVm()).isSameAs(vm);
        assertThat(copy.getCurrentHost()).isSameAs(h1);
        assertThat(role.getHost()).isSameAs(h1);
        assertThat(clone.getHosts()).isSameAs(plan.getHosts());
        assertThat(clone.getScore()).isEqualTo(HardSoftLongScore.of(0, -5));
    }
}
