package io.shadowvm.controller.loop;

import io.shadowvm.api.rest.ApiException;
import io.shadowvm.controller.failure.FailureDetector;
import io.shadowvm.controller.model.HostLiveness;
import io.shadowvm.controller.store.ClusterStore;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.agent.Agent;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.core.topology.Topology;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The controller's closed loop (DESIGN.md section 4) as an {@link Agent}. Every {@link #doWork()} drains
 * the inbox (registrations, heartbeats, telemetry, outcomes, user requests); every {@code tickMs} the
 * leader runs the six steps in order:
 * <ol>
 *   <li>ingest telemetry (done as it arrives: link samples feed the scorer, VM reports update placements)</li>
 *   <li>update path series and 3. predict congestion per path ({@link CongestionScorer})</li>
 *   <li value="4">compute redirection weights per VM ({@link WeightPolicy}) and 5. push changed tables to
 *       the ingress agents</li>
 *   <li value="6">reconcile (create what is missing, restore each policy's shadow count) and detect
 *       failures (phi-accrual → fence → promote)</li>
 * </ol>
 * Failure detection runs on its own, shorter period ({@code min(tickMs, heartbeatIntervalMs)}): a dead host is
 * noticed within one heartbeat interval of its phi crossing the threshold, not at the next tick.
 * A follower only answers: registrations and user requests are refused with the leader's id. On becoming
 * leader it reloads everything from the store (a restart or a leader change resumes where the store is).
 * All cluster state belongs to this thread; {@link #snapshot()} is the immutable view for everyone else.
 */
public final class ControlLoop implements Agent {
    private final LoopConfig config;
    private final EpochClock clock;
    private final NanoClock nanoClock;
    private final String controllerId;
    private final BooleanSupplier leadership;
    private final Supplier<String> leaderId;
    private final Queue<Inbound> inbox = new ConcurrentLinkedQueue<>();
    private final EventLog events;
    private final LoopState state;
    private final Intake intake;
    private final Steps steps;
    private final Failover failover;
    private volatile ClusterSnapshot snapshot;
    private boolean leader;
    private long nextTickMs = Long.MIN_VALUE;
    private long nextDetectMs = Long.MIN_VALUE;
    private final long detectIntervalMs;
    private long ticks;

    public ControlLoop(LoopConfig config, EpochClock clock, NanoClock nanoClock, String controllerId, Topology topology,
                       ClusterStore store, BooleanSupplier leadership, Supplier<String> leaderId, AgentLink link,
                       Placer placer, CongestionScorer scorer, WeightPolicy policy, EventLog events) {
        this.config = config;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.controllerId = controllerId;
        this.leadership = leadership;
        this.leaderId = leaderId;
        this.events = events;
        this.state = new LoopState(config, topology, store, placer, scorer, policy, events,
            new FailureDetector(config.phi()));
        this.state.outbox = new Outbox(link, this::epochOf, config.commandResendMs());
        this.state.link = link;
        this.failover = new Failover(state);
        this.steps = new Steps(state, failover);
        this.intake = new Intake(state, failover, steps);
        this.detectIntervalMs = Math.min(config.tickMs(), config.heartbeatIntervalMs());
        this.snapshot = ClusterSnapshot.empty(controllerId);
    }

    private long epochOf(String host) {
        HostSession s = state.hosts.get(host);
        return s == null ? 0 : s.fencingEpoch;
    }

    /** Hands a message to the loop; safe from any thread. */
    public void offer(Inbound message) {
        inbox.add(message);
    }

    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    public EventLog events() {
        return events;
    }

    public LoopConfig config() {
        return config;
    }

    @Override
    public String roleName() {
        return "control-loop";
    }

    @Override
    public int doWork() {
        long now = clock.epochMillis();
        boolean isLeader = leadership.getAsBoolean();
        if (isLeader != leader) {
            leader = isLeader;
            if (leader) {
                state.resume(now);
                events.add(now, "leader", null, null, controllerId + " became leader; resumed "
                    + state.desired.size() + " VMs and " + state.hosts.size() + " hosts from the store");
            } else {
                state.clear();
                events.add(now, "leader", null, null, controllerId + " lost leadership");
            }
            nextTickMs = now;
            failover.restartStallClock();
        }
        int work = 0;
        Inbound m;
        while ((m = inbox.poll()) != null) {
            work++;
            if (leader) {
                intake.handle(m, now);
            } else {
                refuse(m);
            }
        }
        if (now >= nextTickMs) {
            nextTickMs = now + config.tickMs();
            if (leader) {
                tick(now);
            }
            publish(now);
            work++;
        }
        if (leader && now >= nextDetectMs) {
            nextDetectMs = now + detectIntervalMs;
            failover.detect(now);
            work++;
        }
        return work;
    }

    /** The six steps of one tick (steps 1–3 partly happen on ingest). */
    void tick(long now) {
        ticks++;
        steps.predict(now);
        steps.weighAndPush(now, nanoClock.nanoTime());
        steps.reconcile(now);
        state.indexPrimaries();
        state.outbox.resendOverdue(now, state.connectedHosts());
        state.persistDirty(now);
    }

    private void refuse(Inbound m) {
        String why = "not the leader (leader: " + leaderOrUnknown() + ")";
        if (m instanceof Inbound.Register r) {
            r.reply().accept(new Inbound.Reply(false, why, 0));
        } else if (m instanceof Inbound.CreateVm c) {
            c.done().completeExceptionally(new ApiException(503, null, why));
        } else if (m instanceof Inbound.DeleteVm d) {
            d.done().completeExceptionally(new ApiException(503, null, why));
        }
        // heartbeats, telemetry, outcomes and disconnects mean nothing to a follower
    }

    private String leaderOrUnknown() {
        String id = leaderId.get();
        return id == null || id.isEmpty() ? "unknown" : id;
    }

    private void publish(long now) {
        snapshot = state.snapshot(controllerId, leader, ticks, now);
    }

    /** For tests and the CLI: whether the loop acted as leader on its last call. */
    public boolean isLeader() {
        return leader;
    }

    /** Hosts the loop knows, with liveness (tests). */
    public HostLiveness liveness(String host) {
        HostSession s = state.hosts.get(host);
        return s == null ? HostLiveness.DEAD : s.liveness;
    }

    @Override
    public void onClose() {
        ShadowVmException closed = new ApiException(503, null, "controller is shutting down");
        Inbound m;
        while ((m = inbox.poll()) != null) {
            if (m instanceof Inbound.CreateVm c) {
                c.done().completeExceptionally(closed);
            } else if (m instanceof Inbound.DeleteVm d) {
                d.done().completeExceptionally(closed);
            }
        }
    }
}
