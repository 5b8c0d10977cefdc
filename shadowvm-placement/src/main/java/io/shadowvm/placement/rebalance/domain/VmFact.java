package io.shadowvm.placement.rebalance.domain;

/**
 * What one VM's roles demand, in whole units (bandwidth rounded up). Identity equality: one instance per VM.
 *
 * @see RoleAssignment
 */
public final class VmFact {
    private final String name;
    private final long vcpus;
    private final long shadowVcpus;
    private final long memoryMib;
    private final long networkMbps;
    private final long syncMbps;
    private final int shadows;
    private final boolean avoidPod;
    private final boolean avoidPower;

    public VmFact(String name, long vcpus, long shadowVcpus, long memoryMib, long networkMbps, long syncMbps,
                  int shadows, boolean avoidPod, boolean avoidPower) {
        this.name = name;
        this.vcpus = vcpus;
        this.shadowVcpus = shadowVcpus;
        this.memoryMib = memoryMib;
        this.networkMbps = networkMbps;
        this.syncMbps = syncMbps;
        this.shadows = shadows;
        this.avoidPod = avoidPod;
        this.avoidPower = avoidPower;
    }

    public String name() {
        return name;
    }

    public long vcpus() {
        return vcpus;
    }

    public long shadowVcpus() {
        return shadowVcpus;
    }

    public long memoryMib() {
        return memoryMib;
    }

    public long networkMbps() {
        return networkMbps;
    }

    public long syncMbps() {
        return syncMbps;
    }

    /** Shadows placed now (the plan keeps the count; it moves roles, it does not add or drop them). */
    public int shadows() {
        return shadows;
    }

    public boolean avoidPod() {
        return avoidPod;
    }

    public boolean avoidPower() {
        return avoidPower;
    }

    @Override
    public String toString() {
        return name;
    }
}
