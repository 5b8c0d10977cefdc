package io.shadowvm.agent.uplink;

import io.shadowvm.agent.VmRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link VmRuntime} whose guests are reached through their rack's {@link RackUplink}: every service address
 * it reports (primary start, promotion, instances) is replaced by a relay front of the uplink, so client
 * traffic into the rack crosses the rack's bandwidth limit. Replication traffic is not relayed.
 */
public final class UplinkVmRuntime implements VmRuntime {
    private final VmRuntime delegate;
    private final RackUplink uplink;
    private final Map<String, RackUplink.Front> fronts = new ConcurrentHashMap<>();

    public UplinkVmRuntime(VmRuntime delegate, RackUplink uplink) {
        this.delegate = delegate;
        this.uplink = uplink;
    }

    private String front(String address) {
        if (address == null || address.isEmpty()) {
            return address;
        }
        return fronts.computeIfAbsent(address, uplink::front).address();
    }

    /** Closes this host's relays (a killed host's guests become unreachable at once, as they would be). */
    public void closeFronts() {
        for (RackUplink.Front f : fronts.values()) {
            f.close();
        }
        fronts.clear();
    }

    @Override
    public String startPrimary(String vm, int vcpus, long memoryMib, long generation, String guestKind) {
        return front(delegate.startPrimary(vm, vcpus, memoryMib, generation, guestKind));
    }

    @Override
    public String openShadow(String vm, long generation, boolean serving, String guestKind, long memoryMib) {
        return delegate.openShadow(vm, generation, serving, guestKind, memoryMib);
    }

    @Override
    public void startReplication(String vm, long generation, String shadowHost, String sinkAddress) {
        delegate.startReplication(vm, generation, shadowHost, sinkAddress);
    }

    @Override
    public Promotion promote(String vm, long generation) {
        Promotion p = delegate.promote(vm, generation);
        return new Promotion(p.epoch(), front(p.serviceAddress()));
    }

    @Override
    public void stop(String vm, long generation) {
        delegate.stop(vm, generation);
    }

    @Override
    public int doWork() {
        return delegate.doWork();
    }

    @Override
    public List<Instance> instances() {
        List<Instance> in = delegate.instances();
        List<Instance> out = new ArrayList<>(in.size());
        for (Instance i : in) {
            out.add(new Instance(i.vm(), i.primary(), i.generation(), i.epoch(), i.lagMs(), i.serving(),
                front(i.serviceAddress()), i.syncAddress(), i.state()));
        }
        return out;
    }

    @Override
    public String describe() {
        return delegate.describe() + ", service traffic through " + uplink.link() + " (" + uplink.bitsPerSecond()
            + " bit/s)";
    }

    @Override
    public void close() {
        closeFronts();
        delegate.close();
    }
}
