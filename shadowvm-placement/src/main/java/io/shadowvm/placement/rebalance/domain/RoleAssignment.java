package io.shadowvm.placement.rebalance.domain;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;

/**
 * One role of one VM (its primary, or shadow {@code k}) and the host the plan puts it on. The solver moves
 * {@link #getHost() host}; {@link #getCurrentHost() currentHost} is where the role runs today, so that the
 * number of moves can be weighed.
 */
@PlanningEntity
public class RoleAssignment {
    @PlanningId
    private Long id;
    private VmFact vm;
    private int role;
    private HostFact currentHost;
    @PlanningVariable
    private HostFact host;

    public RoleAssignment() {
        // for Timefold's solution cloner
    }

    /** @param role 0 for the primary, k (1-based) for shadow k */
    public RoleAssignment(long id, VmFact vm, int role, HostFact currentHost, HostFact host) {
        this.id = id;
        this.vm = vm;
        this.role = role;
        this.currentHost = currentHost;
        this.host = host;
    }

    /** A copy with the same id, VM, role and hosts (for {@link RebalancePlanCloner}). */
    public RoleAssignment copy() {
        RoleAssignment c = new RoleAssignment();
        c.id = id;
        c.vm = vm;
        c.role = role;
        c.currentHost = currentHost;
        c.host = host;
        return c;
    }

    public Long getId() {
        return id;
    }

    public VmFact getVm() {
        return vm;
    }

    public int getRole() {
        return role;
    }

    public boolean isPrimary() {
        return role == 0;
    }

    public boolean isShadow() {
        return role > 0;
    }

    public HostFact getCurrentHost() {
        return currentHost;
    }

    public HostFact getHost() {
        return host;
    }

    public void setHost(HostFact host) {
        this.host = host;
    }

    public boolean isMoved() {
        return host != currentHost;
    }

    public RackFact rack() {
        return host.rack();
    }

    public long coresDemand() {
        return role == 0 ? vm.vcpus() : vm.shadowVcpus();
    }

    public long memoryDemandMib() {
        return vm.memoryMib();
    }

    /** On the host's NIC: the service traffic for a primary, the sync stream for a shadow. */
    public long nicDemandMbps() {
        return role == 0 ? vm.networkMbps() : vm.syncMbps();
    }

    /**
     * Sync traffic this role puts on its rack's uplink: a shadow receives one stream, a primary sends one per
     * shadow (shadows never share the primary's rack, a hard constraint, so every stream crosses both uplinks).
     */
    public long uplinkSyncMbps() {
        return role == 0 ? vm.syncMbps() * vm.shadows() : vm.syncMbps();
    }

    @Override
    public String toString() {
        return vm.name() + (role == 0 ? "/primary" : "/shadow" + role) + "@" + host;
    }
}
