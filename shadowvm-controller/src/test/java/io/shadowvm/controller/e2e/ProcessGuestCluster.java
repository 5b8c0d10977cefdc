package io.shadowvm.controller.e2e;

import io.shadowvm.agent.HostAgent;
import io.shadowvm.agent.TelemetrySource;
import io.shadowvm.agent.ingress.L4IngressPlane;
import io.shadowvm.agent.runtime.ProcessGuestRuntime;
import io.shadowvm.controller.Controller;
import io.shadowvm.controller.loop.Inbound;
import io.shadowvm.controller.loop.LoopConfig;
import io.shadowvm.controller.model.ShadowState;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.controller.store.Await;
import io.shadowvm.core.agent.AgentRunner;
import io.shadowvm.core.agent.IdleStrategy;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A controller (embedded ZooKeeper) and one in-process agent per host of {@link LoopbackCluster#topology()} running
 * real process guests replicated with shadowvm-sync, the last host also the L4 ingress. Nothing scripted.
 */
final class ProcessGuestCluster implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);

    final Topology topology = LoopbackCluster.topology();
    final Map<String, HostAgent> agents = new LinkedHashMap<>();
    final Map<String, ProcessGuestRuntime> runtimes = new LinkedHashMap<>();
    final Map<String, AgentRunner> runners = new LinkedHashMap<>();
    final L4IngressPlane ingress = new L4IngressPlane("127.0.0.1", 0);
    final Path work;
    final Controller controller;

    ProcessGuestCluster(Path dataDir, LoopConfig loop) throws Exception {
        int port = LoopbackCluster.freePort();
        work = Files.createTempDirectory(Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : "/tmp"), "svm-e2e-");
        controller = Controller.start(LoopbackCluster.controllerContext(topology, port).loop(loop).dataDir(dataDir));
        String ingressHost = topology.hosts().get(topology.hosts().size() - 1).name();
        for (Host h : topology.hosts()) {
            ProcessGuestRuntime rt = new ProcessGuestRuntime(h.name(), work.resolve(h.name()), "127.0.0.1", 100,
                EpochClock.SYSTEM);
            boolean isIngress = h.name().equals(ingressHost);
            HostAgent a = new HostAgent(new HostAgent.Config(h.name(), List.of("127.0.0.1:" + port), "127.0.0.1:0",
                isIngress, h.cores(), h.memoryMib(), 100), EpochClock.SYSTEM, rt, TelemetrySource.NONE,
                isIngress ? ingress : null);
            runtimes.put(h.name(), rt);
            agents.put(h.name(), a);
            runners.put(h.name(), new AgentRunner(a, IdleStrategy.sleeping(1_000_000), t -> { }).start());
        }
        Await.until(WAIT, () -> controller.snapshot().hosts().stream().filter(h -> h.state().equals("ALIVE")).count()
            == topology.hosts().size());
    }

    /** Creates {@code vm} (1:1 serving) and waits until it runs with its shadow in sync at epoch 2 or later; returns its primary host. */
    String createRunning(String vm) throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        controller.offer(new Inbound.CreateVm(new VmDesired(new VmSpec(vm, 1, 64, 10,
            ShadowPolicy.of(1, ShadowMode.SERVING), List.of()), "process", 0), done));
        String primary = done.get(30, TimeUnit.SECONDS);
        Await.until(WAIT, () -> {
            VmPlacement p = placement(vm);
            return p != null && p.phase() == VmPhase.RUNNING && !p.serviceAddress().isEmpty()
                && p.shadows().get(0).state() == ShadowState.IN_SYNC && p.shadows().get(0).ackedEpoch() >= 2;
        });
        return primary;
    }

    VmPlacement placement(String vm) {
        return controller.snapshot().placements().get(vm);
    }

    void dump() {
        controller.events().since(0, 1000).forEach(System.out::println);
        System.out.println(controller.snapshot().placements());
        agents.values().forEach(a -> System.out.println(a.host() + " refusal=" + a.lastRefusal() + " " + a.instances()));
    }

    static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    @Override
    public void close() throws Exception {
        for (AgentRunner r : runners.values()) {
            r.close();
        }
        for (ProcessGuestRuntime rt : runtimes.values()) {
            rt.close();
        }
        ingress.close();
        controller.close();
        try (var w = Files.walk(work)) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
