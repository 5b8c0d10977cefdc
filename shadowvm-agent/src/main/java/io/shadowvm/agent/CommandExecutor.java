package io.shadowvm.agent;

import io.shadowvm.api.proto.BackendWeight;
import io.shadowvm.api.proto.Command;
import io.shadowvm.api.proto.CommandOutcome;
import io.shadowvm.api.proto.OutcomeStatus;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.time.EpochClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Executes controller commands on this host, exactly once per command id:
 * <ul>
 *   <li>a command id seen before gets the outcome recorded the first time, without acting again;</li>
 *   <li>a command stamped with a fencing epoch lower than the highest this agent has seen is REJECTED:
 *       it comes from before this host was fenced;</li>
 *   <li>after a Fence, the fenced generation of each named VM is never started or promoted here again.</li>
 * </ul>
 * Commands run on the agent's VM worker thread, serialized by this object's lock; the fencing epoch is also read and
 * raised by the agent's thread, lock-free, so that a heartbeat never waits for a command.
 */
public final class CommandExecutor {
    /** How many outcomes are remembered for idempotency. */
    public static final int REMEMBERED_OUTCOMES = 10_000;

    private final String host;
    private final VmRuntime runtime;
    private final IngressPlane ingress;
    private final EpochClock clock;
    private final Map<String, Long> fencedGeneration = new HashMap<>();
    private final Map<String, Long> weightVersions = new HashMap<>();
    private final LinkedHashMap<String, CommandOutcome> outcomes = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CommandOutcome> eldest) {
            return size() > REMEMBERED_OUTCOMES;
        }
    };
    private final AtomicLong highestEpoch = new AtomicLong();

    public CommandExecutor(String host, VmRuntime runtime, IngressPlane ingress, EpochClock clock) {
        this.host = host;
        this.runtime = runtime;
        this.ingress = ingress;
        this.clock = clock;
    }

    /**
     * Read by the agent's thread for every heartbeat: never behind the lock a command holds while it runs (a
     * QEMU guest may take a minute to boot, and a host that stops heartbeating meanwhile is declared dead).
     */
    public long fencingEpoch() {
        return highestEpoch.get();
    }

    /** The controller told us our epoch (registration). Epochs only grow. */
    public void adoptEpoch(long epoch) {
        highestEpoch.accumulateAndGet(epoch, Math::max);
    }

    /** Whether {@code generation} of {@code vm} was fenced on this host. */
    public synchronized boolean isFenced(String vm, long generation) {
        Long g = fencedGeneration.get(vm);
        return g != null && generation <= g;
    }

    public synchronized CommandOutcome execute(Command c) {
        CommandOutcome seen = outcomes.get(c.getId());
        if (seen != null) {
            return seen;
        }
        CommandOutcome.Builder out = CommandOutcome.newBuilder().setCommandId(c.getId());
        if (c.getFencingEpoch() < highestEpoch.get()) {
            out.setStatus(OutcomeStatus.OUTCOME_STATUS_REJECTED).setMessage("stale fencing epoch " + c.getFencingEpoch()
                + " (this agent has seen " + highestEpoch.get() + ")");
        } else {
            adoptEpoch(c.getFencingEpoch());
            try {
                act(c, out);
            } catch (ShadowVmException e) {
                out.setStatus(OutcomeStatus.OUTCOME_STATUS_FAILED).setMessage(e.getMessage());
            }
        }
        CommandOutcome o = out.setFinishedAtMs(clock.epochMillis()).build();
        outcomes.put(c.getId(), o);
        return o;
    }

    private void act(Command c, CommandOutcome.Builder out) {
        out.setStatus(OutcomeStatus.OUTCOME_STATUS_OK);
        switch (c.getActionCase()) {
            case CREATE_VM -> {
                var a = c.getCreateVm();
                if (isFenced(a.getVm(), a.getVmGeneration())) {
                    reject(out, a.getVm(), a.getVmGeneration());
                    return;
                }
                out.setAddress(runtime.startPrimary(a.getVm(), a.getVcpus(), a.getMemoryMib(), a.getVmGeneration(),
                    a.getGuestKind()));
            }
            case START_SHADOW_SYNC -> {
                var a = c.getStartShadowSync();
                if (a.getShadowHost().equals(host)) {
                    out.setAddress(runtime.openShadow(a.getVm(), a.getVmGeneration(), a.getServing(), a.getGuestKind(),
                        a.getMemoryMib()));
                } else if (a.getPrimaryHost().equals(host)) {
                    if (a.getSinkAddress().isEmpty()) {
                        throw new ShadowVmException("start replication of " + a.getVm() + " to " + a.getShadowHost()
                            + ": no sink address");
                    }
                    runtime.startReplication(a.getVm(), a.getVmGeneration(), a.getShadowHost(), a.getSinkAddress());
                } else {
                    throw new ShadowVmException("sync of " + a.getVm() + " between " + a.getPrimaryHost() + " and "
                        + a.getShadowHost() + " sent to " + host);
                }
            }
            case SET_WEIGHTS -> {
                var a = c.getSetWeights();
                if (ingress == null) {
                    out.setStatus(OutcomeStatus.OUTCOME_STATUS_REJECTED).setMessage("no ingress data plane on " + host);
                    return;
                }
                long last = weightVersions.getOrDefault(a.getVm(), -1L);
                if (a.getVersion() <= last) {
                    out.setMessage("version " + a.getVersion() + " ignored (have " + last + ")");
                    return;
                }
                List<IngressPlane.Backend> backends = new ArrayList<>();
                for (BackendWeight b : a.getBackendsList()) {
                    backends.add(new IngressPlane.Backend(b.getHost(), b.getAddress(), b.getWeight()));
                }
                ingress.apply(a.getVm(), a.getVersion(), backends);
                weightVersions.put(a.getVm(), a.getVersion());
            }
            case PROMOTE -> {
                var a = c.getPromote();
                if (isFenced(a.getVm(), a.getVmGeneration())) {
                    reject(out, a.getVm(), a.getVmGeneration());
                    return;
                }
                VmRuntime.Promotion p = runtime.promote(a.getVm(), a.getVmGeneration());
                out.setEpoch(p.epoch()).setAddress(p.serviceAddress()).setStateDigest(p.stateDigest());
            }
            case FENCE -> {
                int stopped = 0;
                for (String vm : c.getFence().getVmsList()) {
                    long gen = 0;
                    for (VmRuntime.Instance i : runtime.instances()) {
                        if (i.vm().equals(vm) && i.primary()) {
                            gen = Math.max(gen, i.generation());
                        }
                    }
                    fencedGeneration.merge(vm, gen, Math::max);
                    if (gen > 0) {
                        runtime.stop(vm, gen);
                        stopped++;
                    }
                }
                out.setMessage("fenced at epoch " + c.getFencingEpoch() + ": stopped " + stopped + " stale primaries");
            }
            case STOP_VM -> {
                var a = c.getStopVm();
                runtime.stop(a.getVm(), a.getVmGeneration() == 0 ? Long.MAX_VALUE : a.getVmGeneration());
            }
            default -> out.setStatus(OutcomeStatus.OUTCOME_STATUS_REJECTED)
                .setMessage("unknown command " + c.getActionCase() + " (agent speaks protocol 1)");
        }
    }

    private static void reject(CommandOutcome.Builder out, String vm, long generation) {
        out.setStatus(OutcomeStatus.OUTCOME_STATUS_REJECTED)
            .setMessage("VM " + vm + " generation " + generation + " was fenced on this host and never serves here again");
    }
}
