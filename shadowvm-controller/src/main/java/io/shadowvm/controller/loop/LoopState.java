package io.shadowvm.controller.loop;

import io.shadowvm.api.rest.Views.HostView;
import io.shadowvm.api.rest.Views.PredictionView;
import io.shadowvm.api.rest.Views.WeightsView;
import io.shadowvm.controller.failure.FailureDetector;
import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.HostLiveness;
import io.shadowvm.controller.model.HostRecord;
import io.shadowvm.controller.model.ShadowReplica;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.controller.store.ClusterStore;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Link;
import io.shadowvm.core.topology.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the loop knows, in one place, owned by the loop's thread: desired and observed state as
 * loaded from and written to the store, host sessions, the failure detector, weights, failovers.
 * Placements are written to the store when they change structurally (state, hosts, generation) at the
 * end of the tick, and acknowledged-epoch progress at most every {@code progressPersistMs}.
 */
final class LoopState {
    /**
     * A failover whose promotion is in flight. {@code lastHeartbeatMs}: the last moment the failed primary was known
     * alive; {@code cause}: {@link FailoverRecord#HOST_DEAD} or {@link FailoverRecord#VM_DEAD}.
     */
    record PendingFailover(String deadHost, long lastHeartbeatMs, long detectedAtMs, String promotedHost, long rpoEpochs,
                           String cause) {
    }

    final LoopConfig config;
    final Topology topology;
    final ClusterStore store;
    final Placer placer;
    final CongestionScorer scorer;
    final WeightPolicy policy;
    final EventLog events;
    final FailureDetector detector;
    Outbox outbox;
    AgentLink link;

    final Map<String, VmDesired> desired = new LinkedHashMap<>();
    final Map<String, VmPlacement> placements = new LinkedHashMap<>();
    final Map<String, HostSession> hosts = new LinkedHashMap<>();
    final Map<String, Map<String, String>> serviceAddresses = new HashMap<>();
    final Map<String, Inbound.ProbeSample> probes = new HashMap<>();
    final Map<String, Double> linkScores = new HashMap<>();
    final Map<String, WeightsView> weights = new LinkedHashMap<>();
    final Map<String, PendingFailover> failingOver = new HashMap<>();
    final List<FailoverRecord> failovers = new ArrayList<>();
    final Map<String, String> unplaceable = new HashMap<>();
    /** VM → when its primary last reported running (a dead guest's failover measures its RTO from here). */
    final Map<String, Long> primarySeenMs = new HashMap<>();
    /** VM → consecutive telemetry batches of its primary's live host that did not list it. */
    final Map<String, Integer> primaryMissing = new HashMap<>();
    /** Host → VMs whose primary runs there, rebuilt every tick (used to notice a primary an agent stopped listing). */
    final Map<String, List<String>> primariesByHost = new HashMap<>();
    private final Map<String, VmPlacement> persisted = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    private long lastProgressPersistMs;
    long resumedAtMs;
    final Set<String> awaitingReturn = new HashSet<>();

    LoopState(LoopConfig config, Topology topology, ClusterStore store, Placer placer, CongestionScorer scorer,
              WeightPolicy policy, EventLog events, FailureDetector detector) {
        this.config = config;
        this.topology = topology;
        this.store = store;
        this.placer = placer;
        this.scorer = scorer;
        this.policy = policy;
        this.events = events;
        this.detector = detector;
    }

    /** Reloads desired and observed state from the store (on becoming leader). */
    void resume(long now) {
        clear();
        desired.putAll(store.desired());
        for (VmPlacement p : store.placements().values()) {
            placements.put(p.vm(), p);
            persisted.put(p.vm(), p);
            VmDesired d = desired.get(p.vm());
            if (d != null) {
                placer.update(d.spec(), p.primaryHost(), countedShadowHosts(p));
            }
        }
        for (HostRecord h : store.hosts().values()) {
            HostSession s = new HostSession(h.name());
            s.agentId = h.agentId();
            s.dataAddress = h.dataAddress();
            s.cores = h.cores();
            s.memoryMib = h.memoryMib();
            s.fencingEpoch = store.fencingEpoch(h.name());
            s.connected = false;
            hosts.put(h.name(), s);
            awaitingReturn.add(h.name());
        }
        failovers.addAll(store.failovers());
        resumedAtMs = now;
        lastProgressPersistMs = now;
    }

    void clear() {
        for (String vm : desired.keySet()) {
            placer.release(vm);
        }
        desired.clear();
        placements.clear();
        hosts.clear();
        serviceAddresses.clear();
        probes.clear();
        linkScores.clear();
        weights.clear();
        failingOver.clear();
        failovers.clear();
        unplaceable.clear();
        primarySeenMs.clear();
        primaryMissing.clear();
        primariesByHost.clear();
        persisted.clear();
        dirty.clear();
        awaitingReturn.clear();
    }

    /** Rebuilds {@link #primariesByHost} from the placements (once per tick). */
    void indexPrimaries() {
        for (List<String> l : primariesByHost.values()) {
            l.clear();
        }
        for (VmPlacement p : placements.values()) {
            primariesByHost.computeIfAbsent(p.primaryHost(), k -> new ArrayList<>()).add(p.vm());
        }
        if (primarySeenMs.size() > placements.size()) {
            primarySeenMs.keySet().retainAll(placements.keySet()); // deleted VMs
            primaryMissing.keySet().retainAll(placements.keySet());
        }
    }

    static List<String> countedShadowHosts(VmPlacement p) {
        List<String> out = new ArrayList<>();
        for (ShadowReplica s : p.shadows()) {
            if (s.state().counted() || s.state() == io.shadowvm.controller.model.ShadowState.PROMOTING) {
                out.add(s.host());
            }
        }
        return out;
    }

    void put(VmPlacement p) {
        placements.put(p.vm(), p);
        dirty.add(p.vm());
    }

    void remove(String vm) {
        placements.remove(vm);
        persisted.remove(vm);
        dirty.remove(vm);
        store.deletePlacement(vm);
    }

    /** Writes changed placements; the fencing-critical ones are written immediately by their callers. */
    void persistDirty(long now) {
        boolean progressDue = now - lastProgressPersistMs >= config.progressPersistMs();
        for (String vm : dirty) {
            VmPlacement p = placements.get(vm);
            if (p == null) {
                continue;
            }
            VmPlacement old = persisted.get(vm);
            if (old == null || progressDue || !sameStructure(old, p)) {
                store.putPlacement(p);
                persisted.put(vm, p);
            }
        }
        if (progressDue) {
            dirty.clear();
            lastProgressPersistMs = now;
        } else {
            dirty.removeIf(vm -> placements.get(vm) == null || placements.get(vm).equals(persisted.get(vm)));
        }
    }

    /** Writes one placement now (before commands that depend on it are sent). */
    void persistNow(VmPlacement p) {
        placements.put(p.vm(), p);
        store.putPlacement(p);
        persisted.put(p.vm(), p);
        dirty.remove(p.vm());
    }

    /** Whether two placements differ in more than epoch progress (which is persisted only periodically). */
    private static boolean sameStructure(VmPlacement a, VmPlacement b) {
        if (a.phase() != b.phase() || a.generation() != b.generation() || !a.primaryHost().equals(b.primaryHost())
            || !a.serviceAddress().equals(b.serviceAddress()) || a.shadows().size() != b.shadows().size()) {
            return false;
        }
        for (int i = 0; i < a.shadows().size(); i++) {
            ShadowReplica x = a.shadows().get(i);
            ShadowReplica y = b.shadows().get(i);
            if (!x.host().equals(y.host()) || x.state() != y.state() || !x.syncAddress().equals(y.syncAddress())) {
                return false;
            }
        }
        return true;
    }

    Set<String> connectedHosts() {
        Set<String> out = new HashSet<>();
        for (HostSession s : hosts.values()) {
            if (s.connected) {
                out.add(s.name);
            }
        }
        return out;
    }

    Set<String> usableHosts() {
        Set<String> out = new HashSet<>();
        for (HostSession s : hosts.values()) {
            if (s.usable()) {
                out.add(s.name);
            }
        }
        return out;
    }

    /** Every topology host that is not usable right now (no shadow may be promoted there). */
    Set<String> unavailableHosts() {
        Set<String> out = new HashSet<>();
        for (Host h : topology.hosts()) {
            HostSession s = hosts.get(h.name());
            if (s == null || !s.usable()) {
                out.add(h.name());
            }
        }
        return out;
    }

    boolean alive(String host) {
        HostSession s = hosts.get(host);
        return s != null && s.liveness == HostLiveness.ALIVE && s.connected;
    }

    /**
     * Records {@code w} (host → share) as the VM's weight table and sends it to every connected ingress
     * agent when it differs from the last table by more than {@code 0.005} in any share or in its backends.
     * Returns whether a new table was published.
     */
    boolean publishWeights(String vm, Map<String, Double> w, long now, boolean force) {
        VmPlacement p = placements.get(vm);
        if (p == null) {
            return false;
        }
        WeightsView old = weights.get(vm);
        if (!force && old != null && same(old, w)) {
            return false;
        }
        long version = p.weightsVersion() + 1;
        put(p.withWeightsVersion(version));
        List<io.shadowvm.api.rest.Views.BackendWeightView> backends = new ArrayList<>();
        Map<String, String> addresses = new LinkedHashMap<>();
        Map<String, String> known = serviceAddresses.getOrDefault(vm, Map.of());
        for (Map.Entry<String, Double> e : w.entrySet()) {
            backends.add(new io.shadowvm.api.rest.Views.BackendWeightView(e.getKey(), e.getValue()));
            String addr = e.getKey().equals(p.primaryHost()) && !p.serviceAddress().isEmpty() ? p.serviceAddress()
                : known.getOrDefault(e.getKey(), "");
            addresses.put(e.getKey(), addr);
        }
        weights.put(vm, new WeightsView(vm, version, backends));
        for (HostSession s : hosts.values()) {
            if (s.ingress && s.connected) {
                outbox.send(new io.shadowvm.controller.command.AgentAction.SetWeights(s.name, vm, version, w, addresses), now);
            }
        }
        return true;
    }

    private static boolean same(WeightsView old, Map<String, Double> w) {
        if (old.backends().size() != w.size()) {
            return false;
        }
        for (io.shadowvm.api.rest.Views.BackendWeightView b : old.backends()) {
            Double n = w.get(b.host());
            if (n == null || Math.abs(n - b.weight()) > 0.005) {
                return false;
            }
        }
        return true;
    }

    /** Sends every VM's current table to one (new) ingress host. */
    void sendAllWeightsTo(String host, long now) {
        for (WeightsView v : weights.values()) {
            Map<String, Double> w = new LinkedHashMap<>();
            Map<String, String> addresses = new LinkedHashMap<>();
            VmPlacement p = placements.get(v.vm());
            Map<String, String> known = serviceAddresses.getOrDefault(v.vm(), Map.of());
            for (io.shadowvm.api.rest.Views.BackendWeightView b : v.backends()) {
                w.put(b.host(), b.weight());
                addresses.put(b.host(), p != null && b.host().equals(p.primaryHost()) ? p.serviceAddress()
                    : known.getOrDefault(b.host(), ""));
            }
            outbox.sendAgain(new io.shadowvm.controller.command.AgentAction.SetWeights(host, v.vm(), v.version(), w,
                addresses), now);
        }
    }

    ClusterSnapshot snapshot(String controllerId, boolean leader, long tick, long now) {
        List<HostView> hv = new ArrayList<>(hosts.size());
        Map<String, int[]> roles = new HashMap<>();
        for (VmPlacement p : placements.values()) {
            roles.computeIfAbsent(p.primaryHost(), k -> new int[2])[0]++;
            for (ShadowReplica s : p.shadows()) {
                if (s.state().counted()) {
                    roles.computeIfAbsent(s.host(), k -> new int[2])[1]++;
                }
            }
        }
        for (HostSession s : hosts.values()) {
            int[] r = roles.getOrDefault(s.name, new int[2]);
            String rack = topology.hasHost(s.name) ? topology.rackOf(topology.host(s.name)).name() : "";
            String st = !s.connected && s.liveness == HostLiveness.ALIVE ? "DISCONNECTED" : s.liveness.name();
            double phi = detector.knows(s.name) ? detector.phi(s.name, now) : 0;
            hv.add(new HostView(s.name, rack, st, Double.isFinite(phi) ? Math.round(phi * 100) / 100.0 : -1,
                detector.lastHeartbeatMs(s.name), s.fencingEpoch, r[0], r[1]));
        }
        List<PredictionView> pv = new ArrayList<>();
        for (Link l : topology.links()) {
            double u = scorer.lastUtilization(l.name());
            if (!Double.isNaN(u)) {
                pv.add(new PredictionView(l.name(), u, linkScores.getOrDefault(l.name(), 0.0), now));
            }
        }
        List<String> components = List.of("placement: " + placer.describe(), "predictor: " + scorer.describe(),
            "weights: " + policy.describe());
        return new ClusterSnapshot(controllerId, leader, tick, now, hv, desired, placements, pv, weights, failovers,
            components);
    }
}
