package io.shadowvm.controller.loop;

import io.shadowvm.controller.command.AgentAction;
import io.shadowvm.controller.model.HostLiveness;
import io.shadowvm.controller.model.HostRecord;
import io.shadowvm.controller.model.ShadowReplica;
import io.shadowvm.controller.model.ShadowState;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Step 1 of the loop, as messages arrive: registrations (with fencing), heartbeats, telemetry (link
 * samples to the scorer, VM reports into placements and shadow states) and command outcomes. A message
 * from an agent whose id or fencing epoch is not the host's current one is ignored: a fenced agent's
 * words change nothing.
 */
final class Intake {
    private final LoopState st;
    private final Failover failover;
    private final Steps steps;

    Intake(LoopState st, Failover failover, Steps steps) {
        this.st = st;
        this.failover = failover;
        this.steps = steps;
    }

    void handle(Inbound m, long now) {
        if (m instanceof Inbound.Register r) {
            register(r, now);
        } else if (m instanceof Inbound.Heartbeat h) {
            if (current(h.host(), h.agentId(), h.fencingEpoch())) {
                st.detector.heartbeat(h.host(), h.atMs());
            }
        } else if (m instanceof Inbound.Telemetry t) {
            telemetry(t, now);
        } else if (m instanceof Inbound.LinkTelemetry l) {
            for (Inbound.LinkSample s : l.links()) {
                st.scorer.observe(s.link(), s.atMs(), s.utilization());
            }
        } else if (m instanceof Inbound.Outcome o) {
            outcome(o, now);
        } else if (m instanceof Inbound.Disconnected d) {
            HostSession s = st.hosts.get(d.host());
            if (s != null && d.agentId().equals(s.agentId) && s.connected) {
                s.connected = false;
                st.events.add(now, "host", null, d.host(), "agent " + d.agentId() + " disconnected");
                failover.primaryUnreachable(d.host(), now);
            }
        } else if (m instanceof Inbound.CreateVm c) {
            steps.create(c, now);
        } else if (m instanceof Inbound.DeleteVm d) {
            steps.delete(d, now);
        }
    }

    private boolean current(String host, String agentId, long epoch) {
        HostSession s = st.hosts.get(host);
        return s != null && s.connected && agentId.equals(s.agentId) && epoch == s.fencingEpoch
            && s.liveness != HostLiveness.DEAD;
    }

    private void register(Inbound.Register r, long now) {
        if (!st.topology.hasHost(r.host())) {
            r.reply().accept(new Inbound.Reply(false, "host '" + r.host() + "' is not in the topology of datacenter "
                + st.topology.datacenter() + " (" + st.topology.hosts().size() + " hosts)", 0));
            return;
        }
        long stored = st.store.fencingEpoch(r.host());
        boolean fenced = r.fencingEpoch() < stored;
        long epoch = Math.max(stored, r.fencingEpoch());
        if (epoch == 0) {
            epoch = st.store.raiseFencingEpoch(r.host());
        }
        HostSession s = st.hosts.computeIfAbsent(r.host(), HostSession::new);
        s.agentId = r.agentId();
        s.fencingEpoch = epoch;
        s.dataAddress = r.dataAddress();
        s.cores = r.cores();
        s.memoryMib = r.memoryMib();
        s.ingress = r.ingress();
        s.connected = true;
        s.liveness = HostLiveness.ALIVE;
        st.detector.register(r.host(), now);
        st.awaitingReturn.remove(r.host());
        st.store.putHost(new HostRecord(s.name, s.agentId, s.dataAddress, s.cores, s.memoryMib, now));
        r.reply().accept(new Inbound.Reply(true, "", epoch));
        st.events.add(now, "host", null, r.host(), (fenced
            ? "fenced agent " + r.agentId() + " returned with epoch " + r.fencingEpoch() + "; now epoch " + epoch
            : "agent " + r.agentId() + " registered, fencing epoch " + epoch) + (r.ingress() ? " (ingress)" : ""));
        List<String> stalePrimaries = new ArrayList<>();
        for (Inbound.VmReport v : r.vms()) {
            if (fenced && v.primary() && isStalePrimary(r.host(), v)) {
                stalePrimaries.add(v.vm());
            } else {
                report(r.host(), v, now);
            }
        }
        if (fenced) {
            st.outbox.sendAgain(new AgentAction.Fence(r.host(), epoch, stalePrimaries,
                "host " + r.host() + " was fenced at epoch " + epoch + " while away; its primaries were promoted elsewhere"),
                now);
            st.placer.hostBackInService(r.host()); // its stale primaries are being stopped: it takes new shadows
        }
        st.outbox.resendAllFor(r.host(), now);
        if (r.ingress()) {
            st.sendAllWeightsTo(r.host(), now);
        }
    }

    private boolean isStalePrimary(String host, Inbound.VmReport v) {
        VmPlacement p = st.placements.get(v.vm());
        return p == null || !host.equals(p.primaryHost()) || v.generation() < p.generation()
            || p.phase() == VmPhase.FAILING_OVER;
    }

    private void telemetry(Inbound.Telemetry t, long now) {
        if (!current(t.host(), t.agentId(), t.fencingEpoch())) {
            return;
        }
        st.detector.heartbeat(t.host(), t.atMs());
        for (Inbound.LinkSample l : t.links()) {
            st.scorer.observe(l.link(), l.atMs(), l.utilization());
        }
        for (Inbound.ProbeSample p : t.probes()) {
            st.probes.put(t.host() + ">" + p.targetHost(), p);
        }
        for (Inbound.VmReport v : t.vms()) {
            report(t.host(), v, now);
        }
        noticeMissingPrimaries(t, now);
    }

    /**
     * A RUNNING primary that its live host's agent does not list in two telemetry batches in a row is gone (the
     * agent restarted without it, or its runtime dropped it): failed over like a dead guest.
     */
    private void noticeMissingPrimaries(Inbound.Telemetry t, long now) {
        List<String> expected = st.primariesByHost.get(t.host());
        if (expected == null || expected.isEmpty()) {
            return;
        }
        for (String vm : List.copyOf(expected)) {
            VmPlacement p = st.placements.get(vm);
            if (p == null || p.phase() != VmPhase.RUNNING || !t.host().equals(p.primaryHost()) || lists(t, vm)) {
                st.primaryMissing.remove(vm);
                continue;
            }
            int misses = st.primaryMissing.merge(vm, 1, Integer::sum);
            if (misses >= 2) {
                failover.vmDied(p, t.host(), "its agent no longer lists generation " + p.generation()
                    + " in its telemetry", now);
            }
        }
    }

    private static boolean lists(Inbound.Telemetry t, String vm) {
        for (Inbound.VmReport v : t.vms()) {
            if (v.primary() && v.vm().equals(vm)) {
                return true;
            }
        }
        return false;
    }

    /** Folds one instance report into the placements, or stops an instance that must not run. */
    private void report(String host, Inbound.VmReport v, long now) {
        VmPlacement p = st.placements.get(v.vm());
        if (p == null) {
            if (!st.desired.containsKey(v.vm())) {
                stop(host, v, "VM " + v.vm() + " is not known to the controller", now);
            }
            return;
        }
        if (v.primary()) {
            if (v.dead() && host.equals(p.primaryHost()) && v.generation() == p.generation()) {
                failover.vmDied(p, host, "its guest exited: the agent reports it dead", now);
                return;
            }
            if (host.equals(p.primaryHost()) && v.generation() == p.generation() && p.phase() != VmPhase.FAILING_OVER) {
                st.primarySeenMs.put(v.vm(), now);
                VmPlacement next = p.withPrimaryEpoch(v.epoch(), v.serviceAddress());
                if (p.phase() == VmPhase.PLACED) {
                    next = next.withPhase(VmPhase.RUNNING);
                    st.events.add(now, "vm", v.vm(), host, "primary running (generation " + p.generation() + ")");
                }
                remember(v, host);
                st.put(next);
            } else if (v.generation() == p.generation() && p.shadowOn(host) != null
                && p.shadowOn(host).state() == ShadowState.PROMOTING) {
                remember(v, host); // the promotion's outcome completes it
            } else {
                stop(host, v, "fenced: " + v.vm() + " generation " + v.generation() + " on " + host
                    + " is stale (current: generation " + p.generation() + " on " + p.primaryHost() + ")", now);
            }
            return;
        }
        ShadowReplica s = p.shadowOn(host);
        if (s == null || s.state().terminal()) {
            stop(host, v, "no shadow of " + v.vm() + " belongs on " + host, now);
            return;
        }
        if (v.generation() != p.generation() || !s.state().counted()) {
            return; // a report from before a promotion, or the shadow is being promoted
        }
        ShadowReplica next = s.withProgress(v.epoch(), v.lagMs());
        if (!v.syncAddress().isEmpty() && next.syncAddress().isEmpty()) {
            next = next.withSyncAddress(v.syncAddress());
        }
        if (next.ackedEpoch() >= 1) {
            VmDesired d = st.desired.get(v.vm());
            long maxLag = d == null ? Long.MAX_VALUE : d.spec().policy().maxLagMs();
            ShadowState target = v.lagMs() <= maxLag ? ShadowState.IN_SYNC : ShadowState.LAGGING;
            if (target != next.state()) {
                st.events.add(now, "shadow", v.vm(), host, next.state() + " -> " + target + " at epoch "
                    + next.ackedEpoch() + " (lag " + v.lagMs() + " ms)");
                next = next.withState(target, v.vm());
            }
        }
        remember(v, host);
        ShadowReplica replaced = next;
        st.put(p.mapShadow(host, x -> replaced));
    }

    private void remember(Inbound.VmReport v, String host) {
        if (v.serving() && !v.serviceAddress().isEmpty()) {
            st.serviceAddresses.computeIfAbsent(v.vm(), k -> new HashMap<>()).put(host, v.serviceAddress());
        }
    }

    private void stop(String host, Inbound.VmReport v, String reason, long now) {
        AgentAction.StopVm stop = new AgentAction.StopVm(host, v.vm(), v.generation(), reason);
        if (!st.outbox.isPending(stop.id()) && !st.outbox.isDone(stop.id())) {
            st.events.add(now, "fence", v.vm(), host, "stopping stale instance: " + reason);
        }
        st.outbox.send(stop, now);
    }

    private void outcome(Inbound.Outcome o, long now) {
        HostSession s = st.hosts.get(o.host());
        if (s == null || !o.agentId().equals(s.agentId)) {
            return;
        }
        Outbox.Pending pd = st.outbox.complete(o.commandId());
        if (pd == null) {
            return;
        }
        AgentAction a = pd.action();
        if (a instanceof AgentAction.Promote pr) {
            failover.promoteOutcome(pr, o, now);
        } else if (a instanceof AgentAction.CreateVm cv) {
            created(cv, o, now);
        } else if (a instanceof AgentAction.StartShadowSync ss) {
            syncStarted(ss, o, now);
        } else if (!o.ok()) {
            st.events.add(now, "command", null, o.host(), a.id() + " failed: " + o.message());
        }
    }

    private void created(AgentAction.CreateVm cv, Inbound.Outcome o, long now) {
        VmPlacement p = st.placements.get(cv.vm());
        if (p == null || p.generation() != cv.generation()) {
            return;
        }
        if (!o.ok()) {
            st.events.add(now, "vm", cv.vm(), o.host(), "create failed: " + o.message());
            st.put(p.withPhase(VmPhase.LOST));
            return;
        }
        VmPlacement next = p.withPrimaryEpoch(o.epoch(), o.address());
        if (p.phase() == VmPhase.PLACED) {
            next = next.withPhase(VmPhase.RUNNING);
            st.events.add(now, "vm", cv.vm(), o.host(), "primary running at " + o.address());
        }
        st.put(next);
    }

    private void syncStarted(AgentAction.StartShadowSync ss, Inbound.Outcome o, long now) {
        VmPlacement p = st.placements.get(ss.vm());
        if (p == null || p.generation() != ss.generation()) {
            return;
        }
        ShadowReplica s = p.shadowOn(ss.shadowHost());
        if (s == null || s.state().terminal()) {
            return;
        }
        boolean sink = ss.host().equals(ss.shadowHost());
        if (!o.ok()) {
            st.events.add(now, "shadow", ss.vm(), ss.shadowHost(), (sink ? "sink" : "source") + " failed: " + o.message());
            st.put(p.mapShadow(ss.shadowHost(), x -> x.withState(ShadowState.FAILED, ss.vm())));
            return;
        }
        if (sink) {
            st.put(p.mapShadow(ss.shadowHost(), x -> x.withSyncAddress(o.address())));
            st.events.add(now, "shadow", ss.vm(), ss.shadowHost(), "sync sink open at " + o.address());
        } else {
            st.events.add(now, "shadow", ss.vm(), ss.shadowHost(), "primary " + o.host() + " shipping epochs");
        }
    }
}
