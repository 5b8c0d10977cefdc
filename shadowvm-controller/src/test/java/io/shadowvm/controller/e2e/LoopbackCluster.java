package io.shadowvm.controller.e2e;

import io.shadowvm.agent.HostAgent;
import io.shadowvm.agent.IngressPlane;
import io.shadowvm.agent.TelemetrySource;
import io.shadowvm.controller.Controller;
import io.shadowvm.controller.failure.PhiConfig;
import io.shadowvm.controller.loop.LoopConfig;
import io.shadowvm.core.agent.AgentRunner;
import io.shadowvm.core.agent.IdleStrategy;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Agents on loopback for every host of a small topology, each with a scripted VM layer. */
final class LoopbackCluster implements AutoCloseable {
    /**
     * Tick 50 ms, heartbeat 50 ms, and a detector tolerant enough for a loaded 2-core CI box where guest JVMs
     * start next to the agents: a host is declared dead after about 3 s of silence.
     */
    static LoopConfig loopConfig() {
        return new LoopConfig(50, 50, 100, 2_000, 3_000, 200, new PhiConfig(50, 300, 1_500, 100, 3, 8));
    }

    /** 3 racks × 2 hosts: a 1:2 policy needs three racks (primary and each shadow on its own ToR). */
    static Topology topology() {
        return TopologyGenerator.generate(new TopologyGenerator.Spec(1, 3, 2, 1, false, 40, "dc1"));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Weight tables an ingress agent received (ingress runs on the last host, which placement fills last). */
    static final class RecordingIngress implements IngressPlane {
        final List<String> applied = new CopyOnWriteArrayList<>();
        volatile Map<String, List<Backend>> tables = Map.of();

        @Override
        public synchronized void apply(String vm, long version, List<Backend> backends) {
            Map<String, List<Backend>> next = new LinkedHashMap<>(tables);
            next.put(vm, List.copyOf(backends));
            tables = next;
            applied.add(vm + "@v" + version);
        }

        @Override
        public String describe() {
            return "recording";
        }
    }

    final Topology topology;
    final Map<String, HostAgent> agents = new LinkedHashMap<>();
    final Map<String, ScriptedVmRuntime> runtimes = new LinkedHashMap<>();
    final Map<String, AgentRunner> runners = new LinkedHashMap<>();
    final RecordingIngress ingress = new RecordingIngress();

    LoopbackCluster(Topology topology, List<String> controllers) {
        this.topology = topology;
        String ingressHost = topology.hosts().get(topology.hosts().size() - 1).name();
        for (Host h : topology.hosts()) {
            boolean first = h.name().equals(ingressHost);
            ScriptedVmRuntime rt = new ScriptedVmRuntime(h.name());
            HostAgent a = new HostAgent(new HostAgent.Config(h.name(), controllers, "127.0.0.1:0", first, h.cores(),
                h.memoryMib(), 100), EpochClock.SYSTEM, rt, TelemetrySource.NONE, first ? ingress : null);
            runtimes.put(h.name(), rt);
            agents.put(h.name(), a);
            runners.put(h.name(), new AgentRunner(a, IdleStrategy.sleeping(1_000_000), t -> { }).start());
        }
    }

    static Controller.Context controllerContext(Topology t, int grpcPort) {
        return new Controller.Context().topology(t).loop(loopConfig()).grpcPort(grpcPort).httpPort(0)
            .errors(e -> e.printStackTrace());
    }

    HostAgent agent(String host) {
        return agents.get(host);
    }

    ScriptedVmRuntime runtime(String host) {
        return runtimes.get(host);
    }

    List<String> hosts() {
        return new ArrayList<>(agents.keySet());
    }

    @Override
    public void close() {
        for (AgentRunner r : runners.values()) {
            r.close();
        }
    }
}
