package io.shadowvm.controller.loop;

import io.shadowvm.controller.command.AgentAction;
import io.shadowvm.controller.failover.FailoverPlanner;
import io.shadowvm.controller.failure.FailureDetector;
import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.HostLiveness;
import io.shadowvm.controller.model.ShadowReplica;
import io.shadowvm.controller.model.ShadowState;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 6b: failure detection and failover. A host whose phi crosses the dead threshold is fenced (its
 * fencing epoch raised in the store before anything else), then {@link FailoverPlanner} chooses, per VM,
 * the shadow to promote; traffic moves to serving shadows at once and to the promoted instance when its
 * outcome arrives, which also records RTO and RPO.
 *
 * <p>VM liveness: a primary whose guest died while its host's agent lives (reported {@code dead}, or no longer
 * listed by the agent in two telemetry batches in a row) is failed over alone ({@link #vmDied}).
 *
 * <p>Stalls: when detection itself did not run for {@link #stallMs} (the controller's thread or machine
 * stalled), the silence of that gap is not held against any host: every live host's last heartbeat moves
 * forward by the gap. Together with the mass-silence guard this keeps a stalled controller from failing over
 * live hosts; a host that really died is still declared dead one detection period later.
 */
final class Failover {
    private final LoopState st;
    /** A stall at least this long is an event; shorter ones are forgiven without one. */
    static final long STALL_EVENT_MS = 1_000;
    private final long stallMs;
    private long lastDetectMs = Long.MIN_VALUE;

    Failover(LoopState st) {
        this.st = st;
        this.stallMs = Math.max(4 * st.config.heartbeatIntervalMs(), 250);
    }

    private boolean connected(String host) {
        HostSession s = st.hosts.get(host);
        return s != null && s.connected;
    }

    /** Leadership changed: the time as a follower is not a stall of detection. */
    void restartStallClock() {
        lastDetectMs = Long.MIN_VALUE;
    }

    void detect(long now) {
        if (lastDetectMs != Long.MIN_VALUE && now - lastDetectMs > stallMs && !st.hosts.isEmpty()) {
            long gap = now - lastDetectMs;
            st.detector.forgive(gap, now);
            if (gap >= STALL_EVENT_MS) { // shorter stalls are routine on a loaded box
                st.events.add(now, "host", null, null, "failure detection did not run for " + gap
                    + " ms (controller stalled): that silence is not held against any host");
            }
        }
        lastDetectMs = now;
        if (!st.awaitingReturn.isEmpty() && now - st.resumedAtMs >= st.config.resumeGraceMs()) {
            for (String host : st.awaitingReturn) {
                st.detector.register(host, st.resumedAtMs);
                st.events.add(now, "host", null, host, "did not re-register within "
                    + st.config.resumeGraceMs() + " ms of the controller resuming");
            }
            st.awaitingReturn.clear();
        }
        List<FailureDetector.Transition> transitions = st.detector.evaluate(now, this::connected);
        if (massSilence(transitions, now)) {
            return;
        }
        for (FailureDetector.Transition t : transitions) {
            HostSession s = st.hosts.get(t.host());
            if (s == null) {
                continue;
            }
            s.liveness = t.to();
            st.events.add(now, "host", null, t.host(), String.format("%s -> %s (phi %.1f, last heartbeat %d ms ago)",
                t.from(), t.to(), Math.min(t.phi(), 99.9), now - t.lastHeartbeatMs()));
            if (t.to() == HostLiveness.DEAD) {
                hostDied(s, t.lastHeartbeatMs(), now);
            } else if (t.to() == HostLiveness.SUSPECT) {
                primaryUnreachable(t.host(), now);
            } else if (t.to() == HostLiveness.ALIVE) {
                for (VmPlacement p : st.placements.values()) {
                    if (p.primaryHost().equals(t.host())) {
                        st.policy.forget(p.vm()); // the policy recomputes from scratch: traffic returns
                    }
                }
            }
        }
    }

    /**
     * When more than half of the registered hosts would be dead at once, the likelier explanation is that the
     * controller itself (or its network) stalled, not that half the datacenter failed in the same instant:
     * nothing is failed over, the detectors of those hosts start afresh, and the event says so. (The same
     * guard as "zone disruption" handling in cluster managers.)
     */
    private boolean massSilence(List<FailureDetector.Transition> transitions, long now) {
        int dying = 0;
        for (FailureDetector.Transition t : transitions) {
            if (t.to() == HostLiveness.DEAD) {
                dying++;
            }
        }
        if (dying == 0) {
            return false;
        }
        int dead = dying;
        for (HostSession s : st.hosts.values()) {
            if (s.liveness == HostLiveness.DEAD) {
                dead++;
            }
        }
        if (dead * 2 <= st.hosts.size()) {
            return false;
        }
        for (FailureDetector.Transition t : transitions) {
            st.detector.register(t.host(), now);
            HostSession s = st.hosts.get(t.host());
            if (s != null) {
                s.liveness = HostLiveness.ALIVE;
            }
        }
        st.events.add(now, "host", null, null, dying + " hosts fell silent at once (" + dead + " of " + st.hosts.size()
            + " would be dead): suspecting a stall of the controller or its network, not failing over");
        return true;
    }

    private void hostDied(HostSession s, long lastHeartbeatMs, long now) {
        long epoch = st.store.raiseFencingEpoch(s.name);
        s.fencingEpoch = epoch;
        st.outbox.dropFor(s.name);
        if (s.connected && st.link != null) {
            st.link.disconnect(s.name, s.agentId, "declared dead; fencing epoch " + epoch);
        }
        s.connected = false;
        FailoverPlanner.Plan plan = FailoverPlanner.plan(s.name, epoch, st.placements, st.unavailableHosts());
        for (VmPlacement p : plan.updated().values()) {
            st.persistNow(p);
            VmDesired d = st.desired.get(p.vm());
            if (d != null) {
                st.placer.update(d.spec(), p.primaryHost(), LoopState.countedShadowHosts(p));
            }
        }
        st.events.add(now, "failover", null, s.name, "host fenced at epoch " + epoch + "; " + plan.failovers().size()
            + " VMs failing over, " + plan.lost().size() + " lost");
        for (FailoverPlanner.VmFailover f : plan.failovers()) {
            LoopState.PendingFailover earlier = st.failingOver.get(f.vm()); // its promotion target died: the next one
            st.failingOver.put(f.vm(), earlier != null && !f.deadHost().equals(s.name)
                ? new LoopState.PendingFailover(earlier.deadHost(), earlier.lastHeartbeatMs(), earlier.detectedAtMs(),
                    f.promotedHost(), f.rpoEpochs(), earlier.cause())
                : new LoopState.PendingFailover(s.name, lastHeartbeatMs, now, f.promotedHost(), f.rpoEpochs(),
                    FailoverRecord.HOST_DEAD));
            st.policy.forget(f.vm());
            st.events.add(now, "failover", f.vm(), f.promotedHost(), "promoting shadow on " + f.promotedHost()
                + " at acked epoch " + f.ackedEpoch() + " (generation " + f.newGeneration() + ", planned RPO "
                + f.rpoEpochs() + " epochs)");
            servingShadowsTakeOver(f.vm(), now);
        }
        for (String vm : plan.lost()) {
            st.events.add(now, "failover", vm, s.name, "VM lost: no shadow holds a whole acknowledged epoch");
        }
        for (AgentAction a : plan.actions()) {
            st.outbox.send(a, now);
        }
    }

    /**
     * The primary of {@code p} on the live host {@code host} died ({@code why}: what the agent said): that VM alone is
     * failed over. Its new generation is persisted first (the VM-level fence), then the dead instance is stopped and
     * its best shadow promoted.
     */
    void vmDied(VmPlacement p, String host, String why, long now) {
        if (p.phase() != VmPhase.RUNNING || !host.equals(p.primaryHost()) || !st.alive(host)) {
            return; // already failing over, or the host itself is suspected: host failover handles it
        }
        String reason = p.vm() + " generation " + p.generation() + " on " + host + " died (" + why + ")";
        FailoverPlanner.Plan plan = FailoverPlanner.planVmDeath(p, host, st.unavailableHosts(), reason);
        for (VmPlacement u : plan.updated().values()) {
            st.persistNow(u);
            VmDesired d = st.desired.get(u.vm());
            if (d != null) {
                st.placer.update(d.spec(), u.primaryHost(), LoopState.countedShadowHosts(u));
            }
        }
        long lastSeen = st.primarySeenMs.getOrDefault(p.vm(), now);
        st.primaryMissing.remove(p.vm());
        if (plan.failovers().isEmpty()) {
            st.events.add(now, "failover", p.vm(), host, reason + "; VM lost: no shadow holds a whole acknowledged epoch");
        }
        for (FailoverPlanner.VmFailover f : plan.failovers()) {
            st.failingOver.put(f.vm(), new LoopState.PendingFailover(host, lastSeen, now, f.promotedHost(), f.rpoEpochs(),
                FailoverRecord.VM_DEAD));
            st.policy.forget(f.vm());
            st.events.add(now, "failover", f.vm(), f.promotedHost(), reason + "; fenced at generation "
                + f.newGeneration() + ", promoting shadow on " + f.promotedHost() + " at acked epoch " + f.ackedEpoch()
                + " (planned RPO " + f.rpoEpochs() + " epochs)");
            servingShadowsTakeOver(f.vm(), now);
        }
        for (AgentAction a : plan.actions()) {
            st.outbox.send(a, now);
        }
    }

    /** The host's stream closed or it is suspected: its primaries' serving shadows take new connections. */
    void primaryUnreachable(String host, long now) {
        for (VmPlacement p : List.copyOf(st.placements.values())) {
            if (p.primaryHost().equals(host) && p.phase() == VmPhase.RUNNING) {
                servingShadowsTakeOver(p.vm(), now);
            }
        }
    }

    /**
     * While the primary's host is suspected, and while a promotion is in flight, serving shadows that are
     * alive take all new connections (open ones stay where they are).
     */
    private void servingShadowsTakeOver(String vm, long now) {
        VmPlacement p = st.placements.get(vm);
        Map<String, String> addrs = st.serviceAddresses.getOrDefault(vm, Map.of());
        Map<String, Double> w = new LinkedHashMap<>();
        int n = 0;
        for (ShadowReplica s : p.shadows()) {
            if (s.serving() && s.state().promotable() || s.state() == ShadowState.PROMOTING && s.serving()) {
                if (st.alive(s.host()) && addrs.containsKey(s.host())) {
                    n++;
                }
            }
        }
        if (n == 0) {
            return;
        }
        w.put(p.primaryHost(), 0.0);
        for (ShadowReplica s : p.shadows()) {
            boolean ok = s.serving() && (s.state().promotable() || s.state() == ShadowState.PROMOTING)
                && st.alive(s.host()) && addrs.containsKey(s.host());
            w.put(s.host(), ok ? 1.0 / n : 0.0);
        }
        st.publishWeights(vm, w, now, true);
    }

    /** After a restart mid-failover: the PROMOTING shadow's promote is sent again (same id). */
    void ensurePromotion(VmPlacement p, long now) {
        for (ShadowReplica s : p.shadows()) {
            if (s.state() == ShadowState.PROMOTING) {
                st.failingOver.computeIfAbsent(p.vm(), k -> new LoopState.PendingFailover(p.primaryHost(),
                    st.resumedAtMs, now, s.host(), Math.max(0, p.primaryEpoch() - s.ackedEpoch()),
                    st.alive(p.primaryHost()) ? FailoverRecord.VM_DEAD : FailoverRecord.HOST_DEAD));
                st.outbox.send(new AgentAction.Promote(s.host(), p.vm(), p.generation(), s.ackedEpoch()), now);
            }
        }
    }

    void promoteOutcome(AgentAction.Promote a, Inbound.Outcome o, long now) {
        VmPlacement p = st.placements.get(a.vm());
        if (p == null || p.generation() != a.generation()) {
            return;
        }
        LoopState.PendingFailover pf = st.failingOver.get(a.vm());
        String deadHost = pf == null ? p.primaryHost() : pf.deadHost();
        if (!o.ok()) {
            st.events.add(now, "failover", a.vm(), a.host(), "promotion failed: " + o.message());
            FailoverPlanner.Plan retry = FailoverPlanner.promotionFailed(p, a.host(), deadHost, st.unavailableHosts());
            for (VmPlacement u : retry.updated().values()) {
                st.persistNow(u);
            }
            if (retry.failovers().isEmpty()) {
                st.failingOver.remove(a.vm());
                st.events.add(now, "failover", a.vm(), null, "VM lost: no other promotable shadow");
            } else if (pf != null) {
                FailoverPlanner.VmFailover f = retry.failovers().get(0);
                st.failingOver.put(a.vm(), new LoopState.PendingFailover(deadHost, pf.lastHeartbeatMs(), pf.detectedAtMs(),
                    f.promotedHost(), f.rpoEpochs(), pf.cause()));
            }
            for (AgentAction next : retry.actions()) {
                st.outbox.send(next, now);
            }
            return;
        }
        VmPlacement done = FailoverPlanner.completePromotion(p, a.host(), o.epoch(), o.address());
        st.persistNow(done);
        st.failingOver.remove(a.vm());
        long since = pf == null ? st.resumedAtMs : pf.lastHeartbeatMs();
        long rpo = Math.max(0, p.primaryEpoch() - o.epoch());
        String cause = pf == null ? FailoverRecord.HOST_DEAD : pf.cause();
        FailoverRecord rec = new FailoverRecord(a.vm(), deadHost, a.host(), a.generation(), o.epoch(), now - since, rpo,
            pf == null ? now : pf.detectedAtMs(), now, cause, o.stateDigest());
        st.store.appendFailover(rec);
        st.failovers.add(rec);
        VmDesired d = st.desired.get(a.vm());
        if (d != null) {
            st.placer.update(d.spec(), a.host(), LoopState.countedShadowHosts(done));
        }
        st.policy.forget(a.vm());
        st.serviceAddresses.computeIfAbsent(a.vm(), k -> new HashMap<>()).put(a.host(), o.address());
        Map<String, Double> w = new LinkedHashMap<>();
        w.put(a.host(), 1.0);
        for (ShadowReplica s : done.shadows()) {
            w.put(s.host(), 0.0);
        }
        st.publishWeights(a.vm(), w, now, true);
        st.events.add(now, "failover", a.vm(), a.host(), "promoted (" + cause + "): serving from epoch " + o.epoch()
            + " at " + o.address() + (o.stateDigest() == 0 ? "" : String.format(", state digest 0x%016x (equal to the"
            + " primary's at that epoch)", o.stateDigest())) + "; RTO " + rec.rtoMs() + " ms (detection "
            + rec.detectionMs() + " ms from the last sign of life on " + deadHost + ", promotion " + rec.promotionMs()
            + " ms), RPO " + rpo + " epochs");
    }
}
