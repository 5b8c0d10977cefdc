package io.shadowvm.placement.rebalance.domain;

import ai.timefold.solver.core.api.domain.lookup.PlanningId;

/** A live host as the solver sees it: capacities in whole units. Identity equality: one instance per host. */
public final class HostFact {
    @PlanningId
    private final Integer index;
    private final String name;
    private final RackFact rack;
    private final long cores;
    private final long memoryMib;
    private final long nicMbps;

    public HostFact(int index, String name, RackFact rack, long cores, long memoryMib, long nicMbps) {
        this.index = index;
        this.name = name;
        this.rack = rack;
        this.cores = cores;
        this.memoryMib = memoryMib;
        this.nicMbps = nicMbps;
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public RackFact rack() {
        return rack;
    }

    public long cores() {
        return cores;
    }

    public long memoryMib() {
        return memoryMib;
    }

    /** NIC capacity in Mbps, rounded down. */
    public long nicMbps() {
        return nicMbps;
    }

    /** Switch-to-switch hops to another host: 0 same host, 2 same rack, 4 same pod, 6 across pods. */
    public int hopsTo(HostFact other) {
        if (other == this) {
            return 0;
        }
        if (other.rack == rack) {
            return 2;
        }
        return other.rack.pod() == rack.pod() ? 4 : 6;
    }

    @Override
    public String toString() {
        return name;
    }
}
