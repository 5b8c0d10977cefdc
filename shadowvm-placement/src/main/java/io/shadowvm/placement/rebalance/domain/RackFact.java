package io.shadowvm.placement.rebalance.domain;

/** A rack (ToR switch) as the solver sees it. Identity equality: one instance per rack. */
public final class RackFact {
    private final int index;
    private final String name;
    private final int pod;
    private final int power;
    private final long uplinkMbps;

    public RackFact(int index, String name, int pod, int power, long uplinkMbps) {
        this.index = index;
        this.name = name;
        this.pod = pod;
        this.power = power;
        this.uplinkMbps = uplinkMbps;
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public int pod() {
        return pod;
    }

    /** Power domain id (racks without a named domain have their own). */
    public int power() {
        return power;
    }

    public long uplinkMbps() {
        return uplinkMbps;
    }

    @Override
    public String toString() {
        return name;
    }
}
