package io.shadowvm.controller.command;

import java.util.List;
import java.util.Map;

/**
 * One command for the agent on {@link #host()}. {@link #id()} is deterministic: the same intent always has
 * the same id (kind, VM, generation or version, host), which is what makes re-sending safe.
 */
public sealed interface AgentAction {
    String host();

    String id();

    /** Start the primary instance of a VM. */
    record CreateVm(String host, String vm, int vcpus, long memoryMib, long generation, String guest)
        implements AgentAction {
        @Override
        public String id() {
            return "create/" + vm + "/g" + generation + "/" + host;
        }
    }

    /**
     * Start replication for one shadow. Sent first to the shadow's host (it opens a sink and answers with
     * the sink's address), then to the primary's host with {@code sinkAddress} set (it starts shipping).
     */
    record StartShadowSync(String host, String vm, String primaryHost, String shadowHost, boolean serving,
                           long generation, String sinkAddress, String guest, long memoryMib) implements AgentAction {
        @Override
        public String id() {
            return "sync/" + vm + "/g" + generation + "/" + shadowHost + (host.equals(shadowHost) ? "/sink" : "/source");
        }
    }

    /** Replace a VM's weight table at the ingress data plane on {@code host}. */
    record SetWeights(String host, String vm, long version, Map<String, Double> weights,
                      Map<String, String> addresses) implements AgentAction {
        public SetWeights {
            weights = Map.copyOf(weights);
            addresses = Map.copyOf(addresses);
        }

        @Override
        public String id() {
            return "weights/" + vm + "/v" + version + "/" + host;
        }
    }

    /** Promote the shadow on {@code host} to primary of generation {@code generation}. */
    record Promote(String host, String vm, long generation, long expectedEpoch) implements AgentAction {
        @Override
        public String id() {
            return "promote/" + vm + "/g" + generation + "/" + host;
        }
    }

    /** Stop these primaries on a fenced host: they were promoted elsewhere. */
    record Fence(String host, long fencingEpoch, List<String> vms, String reason) implements AgentAction {
        public Fence {
            vms = List.copyOf(vms);
        }

        @Override
        public String id() {
            return "fence/" + host + "/e" + fencingEpoch;
        }
    }

    /** Stop one instance (primary or shadow) of a VM on {@code host}. */
    record StopVm(String host, String vm, long generation, String reason) implements AgentAction {
        @Override
        public String id() {
            return "stop/" + vm + "/g" + generation + "/" + host;
        }
    }
}
