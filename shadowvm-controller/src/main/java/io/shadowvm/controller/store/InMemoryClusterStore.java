package io.shadowvm.controller.store;

import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.HostRecord;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPlacement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A store that lives as long as its object: for benchmarks of the loop's own cost and unit tests of
 * components above the store. Not durable; the controller never uses it in production.
 */
public final class InMemoryClusterStore implements ClusterStore {
    private final Map<String, VmDesired> desired = new LinkedHashMap<>();
    private final Map<String, VmPlacement> placements = new LinkedHashMap<>();
    private final Map<String, HostRecord> hosts = new LinkedHashMap<>();
    private final Map<String, Long> fencing = new HashMap<>();
    private final List<FailoverRecord> failovers = new ArrayList<>();

    @Override
    public synchronized void putDesired(VmDesired vm) {
        desired.put(vm.name(), vm);
    }

    @Override
    public synchronized void deleteDesired(String vm) {
        desired.remove(vm);
    }

    @Override
    public synchronized Map<String, VmDesired> desired() {
        return new LinkedHashMap<>(desired);
    }

    @Override
    public synchronized void putPlacement(VmPlacement placement) {
        placements.put(placement.vm(), placement);
    }

    @Override
    public synchronized void deletePlacement(String vm) {
        placements.remove(vm);
    }

    @Override
    public synchronized Map<String, VmPlacement> placements() {
        return new LinkedHashMap<>(placements);
    }

    @Override
    public synchronized void putHost(HostRecord host) {
        hosts.put(host.name(), host);
    }

    @Override
    public synchronized Map<String, HostRecord> hosts() {
        return new LinkedHashMap<>(hosts);
    }

    @Override
    public synchronized long fencingEpoch(String host) {
        return fencing.getOrDefault(host, 0L);
    }

    @Override
    public synchronized long raiseFencingEpoch(String host) {
        return fencing.merge(host, 1L, Long::sum);
    }

    @Override
    public synchronized void appendFailover(FailoverRecord failover) {
        failovers.add(failover);
    }

    @Override
    public synchronized List<FailoverRecord> failovers() {
        return List.copyOf(failovers);
    }

    @Override
    public void close() {
    }
}
