package io.shadowvm.controller.loop;

import io.shadowvm.controller.model.VmDesired;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Everything that reaches the loop from other threads: agents' messages (via the gateway) and users' requests. */
public sealed interface Inbound {
    /**
     * A VM instance an agent reports. {@code primary}: primary or shadow. {@code state} {@link #DEAD}: the
     * instance's guest exited. {@code stateDigest}: the state digest at {@code digestEpoch} (0: not computed).
     */
    record VmReport(String vm, boolean primary, String state, long epoch, long lagMs, long generation, boolean serving,
                    String serviceAddress, String syncAddress, long stateDigest, long digestEpoch) {
        /** The state an agent reports for an instance whose guest is gone. */
        public static final String DEAD = "dead";

        public VmReport(String vm, boolean primary, String state, long epoch, long lagMs, long generation,
                        boolean serving, String serviceAddress, String syncAddress) {
            this(vm, primary, state, epoch, lagMs, generation, serving, serviceAddress, syncAddress, 0, 0);
        }

        public boolean dead() {
            return DEAD.equals(state);
        }
    }

    record LinkSample(String link, long atMs, double utilization) {
    }

    record ProbeSample(String targetHost, long atMs, double rttUs, double lossRatio) {
    }

    /** The controller's answer to a registration. */
    record Reply(boolean accepted, String reason, long fencingEpoch) {
    }

    record Register(String host, String agentId, long fencingEpoch, int cores, long memoryMib, String dataAddress,
                    boolean ingress, List<VmReport> vms, long atMs, Consumer<Reply> reply) implements Inbound {
        public Register {
            vms = List.copyOf(vms);
        }
    }

    record Disconnected(String host, String agentId, long atMs) implements Inbound {
    }

    record Heartbeat(String host, String agentId, long fencingEpoch, long atMs) implements Inbound {
    }

    record Telemetry(String host, String agentId, long fencingEpoch, long atMs, List<LinkSample> links,
                     List<ProbeSample> probes, List<VmReport> vms) implements Inbound {
        public Telemetry {
            links = List.copyOf(links);
            probes = List.copyOf(probes);
            vms = List.copyOf(vms);
        }
    }

    /**
     * Link samples from a switch monitor ({@code source}: the ToR or spine it runs in), which is not a host: its
     * samples only feed the path series.
     */
    record LinkTelemetry(String source, long atMs, List<LinkSample> links) implements Inbound {
        public LinkTelemetry {
            links = List.copyOf(links);
        }
    }

    /** A command's outcome; {@code stateDigest}: for a promotion, the digest of the state it started from (0: none). */
    record Outcome(String host, String agentId, String commandId, boolean ok, String message, long epoch,
                   String address, long atMs, long stateDigest) implements Inbound {
        public Outcome(String host, String agentId, String commandId, boolean ok, String message, long epoch,
                       String address, long atMs) {
            this(host, agentId, commandId, ok, message, epoch, address, atMs, 0);
        }
    }

    record CreateVm(VmDesired vm, CompletableFuture<String> done) implements Inbound {
    }

    record DeleteVm(String vm, CompletableFuture<String> done) implements Inbound {
    }
}
