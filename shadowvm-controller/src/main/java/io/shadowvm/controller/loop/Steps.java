package io.shadowvm.controller.loop;

import io.shadowvm.api.rest.ApiException;
import io.shadowvm.controller.command.AgentAction;
import io.shadowvm.controller.model.ShadowReplica;
import io.shadowvm.controller.model.ShadowState;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Link;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.VmSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Steps 2–6 of a tick except failure detection: predict per path, weigh and push, reconcile; and the
 * user's create/delete requests (provisioning, operational flow step 1).
 */
final class Steps {
    /** A link whose score crosses this (either way) is a timeline event. */
    static final double HOT_SCORE = 0.5;
    /** A change of at least this in a VM's share to shadows is a timeline event. */
    static final double NOTABLE_SHIFT = 0.05;

    private final LoopState st;
    private final Failover failover;
    private final Map<String, Boolean> hot = new HashMap<>();
    private final Map<String, Double> lastShadowShare = new HashMap<>();

    Steps(LoopState st, Failover failover) {
        this.st = st;
        this.failover = failover;
    }

    /** Steps 2–3: the score of every observed link, and events where one crosses {@link #HOT_SCORE}. */
    void predict(long now) {
        st.linkScores.clear();
        for (Link l : st.topology.links()) {
            if (Double.isNaN(st.scorer.lastUtilization(l.name()))) {
                continue;
            }
            double score = st.scorer.score(l.name(), now);
            st.linkScores.put(l.name(), score);
            boolean isHot = score >= HOT_SCORE;
            if (isHot != hot.getOrDefault(l.name(), false)) {
                hot.put(l.name(), isHot);
                st.events.add(now, "prediction", null, null, String.format("%s score %.2f (utilization %.2f) %s",
                    l.name(), score, st.scorer.lastUtilization(l.name()), isHot ? "rising: congestion predicted" : "falling"));
            }
        }
    }

    /**
     * How well {@code shadow} is reached, for weighing it as a place to send clients: the best probe to it from a
     * host outside {@code primary}'s rack. The probe from the primary itself crosses the primary's uplink both
     * ways, so it would blame the shadow for the very congestion traffic is being moved away from (replication
     * lag on that path is weighed separately); only when no other host probes the shadow is it used.
     */
    private Inbound.ProbeSample reachability(Map<String, Map<String, Inbound.ProbeSample>> probesTo, String primary,
                                            String shadow) {
        String primaryRack = rackOf(primary);
        Inbound.ProbeSample best = null;
        for (Map.Entry<String, Inbound.ProbeSample> e : probesTo.getOrDefault(shadow, Map.of()).entrySet()) {
            if (!e.getKey().equals(primaryRack) && better(e.getValue(), best)) {
                best = e.getValue();
            }
        }
        return best != null ? best : st.probes.get(primary + ">" + shadow);
    }

    /** Once per tick: target host → source rack → that rack's best probe to it. */
    private Map<String, Map<String, Inbound.ProbeSample>> indexProbes() {
        Map<String, Map<String, Inbound.ProbeSample>> index = new HashMap<>();
        for (Map.Entry<String, Inbound.ProbeSample> e : st.probes.entrySet()) {
            String key = e.getKey();
            int gt = key.indexOf('>');
            index.computeIfAbsent(key.substring(gt + 1), k -> new HashMap<>())
                .merge(rackOf(key.substring(0, gt)), e.getValue(), (a, b) -> better(b, a) ? b : a);
        }
        return index;
    }

    private static boolean better(Inbound.ProbeSample p, Inbound.ProbeSample than) {
        return than == null || p.lossRatio() < than.lossRatio()
            || p.lossRatio() == than.lossRatio() && p.rttUs() < than.rttUs();
    }

    private String rackOf(String host) {
        return st.topology.hasHost(host) ? st.topology.rackOf(st.topology.host(host)).name() : "";
    }

    /** The score of the path from the outside to {@code host}: its host link and its rack's uplink. */
    double pathScore(String host) {
        if (!st.topology.hasHost(host)) {
            return 0;
        }
        Host h = st.topology.host(host);
        return Math.max(st.linkScores.getOrDefault(st.topology.hostLink(h.index()).name(), 0.0),
            st.linkScores.getOrDefault(st.topology.uplink(h.rack()).name(), 0.0));
    }

    /** Steps 4–5: weights per running VM, pushed to the ingress data planes when they changed. */
    void weighAndPush(long now, long nowNs) {
        Map<String, Map<String, Inbound.ProbeSample>> probesTo = indexProbes();
        for (VmPlacement p : List.copyOf(st.placements.values())) {
            VmDesired d = st.desired.get(p.vm());
            if (d == null || p.phase() != VmPhase.RUNNING || p.serviceAddress().isEmpty() || !st.alive(p.primaryHost())) {
                continue; // a suspected primary keeps the takeover table Failover gave it
            }
            boolean servingPolicy = d.spec().policy().mode() == ShadowMode.SERVING;
            Map<String, String> addresses = st.serviceAddresses.getOrDefault(p.vm(), Map.of());
            List<WeightPolicy.ShadowInput> in = new ArrayList<>();
            for (ShadowReplica s : p.shadows()) {
                if (!s.state().counted()) {
                    continue;
                }
                boolean serving = servingPolicy && s.serving() && s.state().promotable() && addresses.containsKey(s.host());
                Inbound.ProbeSample probe = reachability(probesTo, p.primaryHost(), s.host());
                in.add(new WeightPolicy.ShadowInput(s.host(), serving, st.alive(s.host()), pathScore(s.host()),
                    s.lagMs(), d.spec().policy().stalenessMs(), probe == null ? 0 : probe.rttUs() / 1000.0,
                    probe == null ? 0 : probe.lossRatio()));
            }
            double primaryScore = pathScore(p.primaryHost());
            Map<String, Double> w = st.policy.weigh(p.vm(), p.primaryHost(), primaryScore, in, nowNs);
            if (st.publishWeights(p.vm(), w, now, false)) {
                double shadowShare = 1.0 - w.getOrDefault(p.primaryHost(), 1.0);
                double before = lastShadowShare.getOrDefault(p.vm(), 0.0);
                if (Math.abs(shadowShare - before) >= NOTABLE_SHIFT || (shadowShare == 0) != (before == 0)) {
                    lastShadowShare.put(p.vm(), shadowShare);
                    st.events.add(now, "weights", p.vm(), p.primaryHost(), String.format(Locale.ROOT,
                        "%.0f%% of new connections to shadows (primary path score %.2f) %s", shadowShare * 100,
                        primaryScore, formatWeights(w)));
                }
            }
        }
    }

    /** {@code {host=0.70, host=0.30}}: weights as people read them (two decimals, no binary noise). */
    static String formatWeights(Map<String, Double> weights) {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        weights.forEach((host, weight) -> j.add(host + "=" + String.format(Locale.ROOT, "%.2f", weight)));
        return j.toString();
    }

    /** Step 6a: make observed state follow desired state. */
    void reconcile(long now) {
        for (VmDesired d : List.copyOf(st.desired.values())) {
            if (!st.placements.containsKey(d.name())) {
                try {
                    place(d, now);
                    st.unplaceable.remove(d.name());
                } catch (ShadowVmException e) {
                    if (!e.getMessage().equals(st.unplaceable.put(d.name(), e.getMessage()))) {
                        st.events.add(now, "placement", d.name(), null, e.getMessage());
                    }
                }
            }
        }
        for (VmPlacement p : List.copyOf(st.placements.values())) {
            VmDesired d = st.desired.get(p.vm());
            if (d == null) {
                st.remove(p.vm());
                continue;
            }
            switch (p.phase()) {
                case PLACED -> st.outbox.send(create(d, p), now);
                case FAILING_OVER -> failover.ensurePromotion(p, now);
                case RUNNING -> restoreShadows(d, p, now);
                default -> {
                }
            }
        }
    }

    private void restoreShadows(VmDesired d, VmPlacement p, long now) {
        VmPlacement next = p;
        List<ShadowReplica> kept = new ArrayList<>();
        for (ShadowReplica s : p.shadows()) {
            if (!s.state().terminal()) {
                kept.add(s);
            }
        }
        if (kept.size() != p.shadows().size()) {
            next = next.withShadows(kept);
        }
        List<String> hosts = new ArrayList<>();
        for (ShadowReplica s : kept) {
            hosts.add(s.host());
        }
        int missing = d.spec().policy().shadows() - next.countedShadows();
        boolean serving = d.spec().policy().mode() == ShadowMode.SERVING;
        for (int i = 0; i < missing; i++) {
            String host = st.placer.placeShadow(d.spec(), p.primaryHost(), hosts, st.usableHosts());
            if (host == null) {
                String why = "cannot restore shadow " + (next.countedShadows() + 1) + " of " + d.spec().policy().shadows()
                    + " for " + p.vm() + ": no usable host on another rack has room";
                if (!why.equals(st.unplaceable.put(p.vm(), why))) {
                    st.events.add(now, "placement", p.vm(), null, why);
                }
                break;
            }
            st.unplaceable.remove(p.vm());
            hosts.add(host);
            List<ShadowReplica> more = new ArrayList<>(next.shadows());
            more.add(ShadowReplica.syncing(host, serving));
            next = next.withShadows(more);
            st.events.add(now, "shadow", p.vm(), host, "new shadow placed (restoring " + d.spec().policy().shadows()
                + " shadows)");
        }
        if (next != p) {
            st.put(next);
            st.placer.update(d.spec(), next.primaryHost(), LoopState.countedShadowHosts(next));
        }
        for (ShadowReplica s : next.shadows()) {
            if (s.state() != ShadowState.SYNCING) {
                continue; // acknowledging epochs: its sink and source run (re-sent by id only while syncing)
            }
            if (s.syncAddress().isEmpty()) {
                st.outbox.send(new AgentAction.StartShadowSync(s.host(), p.vm(), next.primaryHost(), s.host(), s.serving(),
                    next.generation(), "", d.guest(), d.spec().memoryMib()), now);
            } else {
                st.outbox.send(new AgentAction.StartShadowSync(next.primaryHost(), p.vm(), next.primaryHost(), s.host(),
                    s.serving(), next.generation(), s.syncAddress(), d.guest(), d.spec().memoryMib()), now);
            }
        }
    }

    private static AgentAction.CreateVm create(VmDesired d, VmPlacement p) {
        return new AgentAction.CreateVm(p.primaryHost(), p.vm(), d.spec().vcpus(), d.spec().memoryMib(), p.generation(),
            d.guest());
    }

    /** Places a VM and sends its commands; throws when the placer finds no feasible placement. */
    private VmPlacement place(VmDesired d, long now) {
        VmSpec spec = d.spec();
        io.shadowvm.controller.loop.Placer.Choice c = st.placer.place(spec, st.usableHosts());
        boolean serving = spec.policy().mode() == ShadowMode.SERVING;
        List<ShadowReplica> shadows = new ArrayList<>();
        for (String h : c.shadows()) {
            shadows.add(ShadowReplica.syncing(h, serving));
        }
        VmPlacement p = new VmPlacement(spec.name(), VmPhase.PLACED, c.primary(), 1, 0, "", shadows, 0);
        st.persistNow(p);
        st.events.add(now, "placement", spec.name(), c.primary(), "primary on " + c.primary() + ", shadows on "
            + c.shadows() + (c.partialReason() == null ? "" : " (partial: " + c.partialReason() + ")"));
        st.outbox.send(create(d, p), now);
        for (ShadowReplica s : shadows) {
            st.outbox.send(new AgentAction.StartShadowSync(s.host(), spec.name(), c.primary(), s.host(), serving, 1, "",
                d.guest(), spec.memoryMib()), now);
        }
        return p;
    }

    void create(Inbound.CreateVm c, long now) {
        VmDesired d = c.vm();
        if (st.desired.containsKey(d.name())) {
            c.done().completeExceptionally(new ApiException(409, "name", "VM '" + d.name() + "' already exists"));
            return;
        }
        try {
            st.desired.put(d.name(), d);
            VmPlacement p = place(d, now);
            st.store.putDesired(d);
            c.done().complete(p.primaryHost());
        } catch (ShadowVmException e) {
            st.desired.remove(d.name());
            st.placer.release(d.name());
            c.done().completeExceptionally(e instanceof ApiException ? e : new ApiException(409, null, e.getMessage()));
        } catch (RuntimeException e) {
            st.desired.remove(d.name());
            c.done().completeExceptionally(e);
        }
    }

    void delete(Inbound.DeleteVm r, long now) {
        if (st.desired.remove(r.vm()) == null) {
            r.done().completeExceptionally(ApiException.notFound("VM", r.vm()));
            return;
        }
        st.store.deleteDesired(r.vm());
        VmPlacement p = st.placements.get(r.vm());
        if (p != null) {
            st.outbox.send(new AgentAction.StopVm(p.primaryHost(), r.vm(), p.generation(), "deleted by user"), now);
            for (ShadowReplica s : p.shadows()) {
                if (!s.state().terminal()) {
                    st.outbox.send(new AgentAction.StopVm(s.host(), r.vm(), p.generation(), "deleted by user"), now);
                }
            }
            st.remove(r.vm());
        }
        st.placer.release(r.vm());
        st.policy.forget(r.vm());
        st.weights.remove(r.vm());
        st.serviceAddresses.remove(r.vm());
        st.unplaceable.remove(r.vm());
        st.events.add(now, "vm", r.vm(), null, "deleted");
        r.done().complete(r.vm());
    }
}
