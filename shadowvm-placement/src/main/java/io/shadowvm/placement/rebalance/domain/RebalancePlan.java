package io.shadowvm.placement.rebalance.domain;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.solution.ProblemFactCollectionProperty;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.score.buildin.hardsoftlong.HardSoftLongScore;
import java.util.List;

/** A whole cluster's placement as a Timefold planning solution: live hosts, VMs, and one assignment per role. */
@PlanningSolution(solutionCloner = RebalancePlanCloner.class)
public class RebalancePlan {
    @ProblemFactCollectionProperty
    private List<RackFact> racks;
    @ProblemFactCollectionProperty
    @ValueRangeProvider
    private List<HostFact> hosts;
    @ProblemFactCollectionProperty
    private List<VmFact> vms;
    @PlanningEntityCollectionProperty
    private List<RoleAssignment> assignments;
    @PlanningScore
    private HardSoftLongScore score;

    public RebalancePlan() {
        // for Timefold's solution cloner
    }

    public RebalancePlan(List<RackFact> racks, List<HostFact> hosts, List<VmFact> vms, List<RoleAssignment> assignments) {
        this.racks = racks;
        this.hosts = hosts;
        this.vms = vms;
        this.assignments = assignments;
    }

    public List<RackFact> getRacks() {
        return racks;
    }

    public List<HostFact> getHosts() {
        return hosts;
    }

    public List<VmFact> getVms() {
        return vms;
    }

    public List<RoleAssignment> getAssignments() {
        return assignments;
    }

    public HardSoftLongScore getScore() {
        return score;
    }

    public void setScore(HardSoftLongScore score) {
        this.score = score;
    }
}
