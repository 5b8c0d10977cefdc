package io.shadowvm.controller.loop;

import io.shadowvm.controller.model.VmDesired;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Everything that reaches the loop from other threads: agents' messages (via the gateway) and users' requests. */
public sealed interface Inbound {
    /** A VM instance an agent reports. {@code primary}: primary or shadow. */
    record VmReport(String vm, boolean primary, String state, long epoch, long lagMs, long generation, boolean serving,
                    String serviceAddress, String syncAddress) {
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

    record Outcome(String host, String agentId, String commandId, boolean ok, String message, long epoch,
                   String address, long atMs) implements Inbound {
    }

    record CreateVm(VmDesired vm, CompletableFuture<String> done) implements Inbound {
    }

    record DeleteVm(String vm, CompletableFuture<String> done) implements Inbound {
    }
}
