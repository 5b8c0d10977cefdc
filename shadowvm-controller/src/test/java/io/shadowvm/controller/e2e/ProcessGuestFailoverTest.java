package io.shadowvm.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.agent.HostAgent;
import io.shadowvm.agent.TelemetrySource;
import io.shadowvm.agent.ingress.L4IngressPlane;
import io.shadowvm.agent.runtime.ProcessGuestRuntime;
import io.shadowvm.controller.Controller;
import io.shadowvm.controller.loop.Inbound;
import io.shadowvm.controller.model.FailoverRecord;
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
import io.shadowvm.hypervisor.process.KvClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing scripted: real process guests (shadowvm-hypervisor's KV guest) replicated with shadowvm-sync,
 * the L4 redirector of shadowvm-redirect at the ingress, real agents over gRPC, the controller with the
 * placement and redirect modules. A host is killed (its agent silenced, its guests SIGKILLed); the shadow
 * is promoted and answers with the state of the acknowledged epoch, through the ingress.
 */
class ProcessGuestFailoverTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aKilledHostsVmIsPromotedWithItsAckedStateAndTheIngressFollows(@TempDir Path dir) throws Exception {
        Topology topology = LoopbackCluster.topology();
        int port = LoopbackCluster.freePort();
        Path work = Files.createTempDirectory(Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : "/tmp"), "svm-e2e-");
        Map<String, HostAgent> agents = new LinkedHashMap<>();
        Map<String, ProcessGuestRuntime> runtimes = new LinkedHashMap<>();
        Map<String, AgentRunner> runners = new LinkedHashMap<>();
        String ingressHost = topology.hosts().get(topology.hosts().size() - 1).name();
        L4IngressPlane ingress = new L4IngressPlane("127.0.0.1", 0);
        Controller[] ctl = new Controller[1];
        Runnable dump = () -> {
            if (ctl[0] != null) {
                ctl[0].events().since(0, 1000).forEach(System.out::println);
                System.out.println(ctl[0].snapshot().placements());
            }
            agents.values().forEach(a -> System.out.println(a.host() + " refusal=" + a.lastRefusal() + " " + a.instances()));
        };
        try (Controller c = Controller.start(LoopbackCluster.controllerContext(topology, port).dataDir(dir))) {
            ctl[0] = c;
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
            Await.until(WAIT, () -> c.snapshot().hosts().stream().filter(h -> h.state().equals("ALIVE")).count() == 6);
            CompletableFuture<String> done = new CompletableFuture<>();
            c.offer(new Inbound.CreateVm(new VmDesired(new VmSpec("kv", 1, 64, 10,
                ShadowPolicy.of(1, ShadowMode.SERVING), List.of()), "process", 0), done));
            String primary = done.get(30, TimeUnit.SECONDS);
            Await.until(WAIT, () -> {
                VmPlacement p = c.snapshot().placements().get("kv");
                return p != null && p.phase() == VmPhase.RUNNING && !p.serviceAddress().isEmpty()
                    && p.shadows().get(0).state() == ShadowState.IN_SYNC && p.shadows().get(0).ackedEpoch() >= 2;
            });
            VmPlacement p = c.snapshot().placements().get("kv");
            String shadowHost = p.shadows().get(0).host();
            KvClient direct = new KvClient(port(p.serviceAddress()));
            assertThat(direct.call("SET before-failover kept")).isEqualTo("OK");
            long written = c.snapshot().placements().get("kv").primaryEpoch();
            Await.until(WAIT, () -> c.snapshot().placements().get("kv").shadows().get(0).ackedEpoch() >= written + 2);
            // The controller's primaryEpoch is the last one *reported*, which can trail the epoch that holds the
            // write; the serving shadow's read-only instance answers only from applied epochs, so wait until it
            // serves the write before the primary dies.
            Await.until(WAIT, () -> servesKept(runtimes.get(shadowHost)));
            Await.until(WAIT, () -> ingress.address("kv") != null);
            assertThat(new KvClient(ingress.address("kv").getPort()).call("GET before-failover")).isEqualTo("VALUE kept");

            agents.get(primary).pause(true);
            runtimes.get(primary).killAll();

            Await.until(WAIT, () -> c.snapshot().failovers().size() == 1
                && c.snapshot().placements().get("kv").phase() == VmPhase.RUNNING);
            FailoverRecord f = c.snapshot().failovers().get(0);
            assertThat(f.deadHost()).isEqualTo(primary);
            assertThat(f.promotedHost()).isEqualTo(shadowHost);
            System.out.printf("failover of kv: RTO %d ms (from the last heartbeat), RPO %d epochs%n", f.rtoMs(),
                f.rpoEpochs());
            VmPlacement after = c.snapshot().placements().get("kv");
            assertThat(new KvClient(port(after.serviceAddress())).call("GET before-failover")).isEqualTo("VALUE kept");
            Await.until(WAIT, () -> {
                InetSocketAddress in = ingress.address("kv");
                try {
                    return in != null && new KvClient(in.getPort()).call("GET before-failover").equals("VALUE kept");
                } catch (RuntimeException e) {
                    return false;
                }
            });
        } catch (AssertionError | RuntimeException e) {
            dump.run();
            throw e;
        } finally {
            for (AgentRunner r : runners.values()) {
                r.close();
            }
            for (ProcessGuestRuntime rt : runtimes.values()) {
                rt.close();
            }
            ingress.close();
            try (var w = Files.walk(work)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            }
        }
    }

    static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    /** Whether the host's serving shadow of {@code kv} already answers with the value written before the kill. */
    private static boolean servesKept(ProcessGuestRuntime shadowRuntime) {
        for (var i : shadowRuntime.instances()) {
            if (i.vm().equals("kv") && !i.primary() && i.serving() && !i.serviceAddress().isEmpty()) {
                try {
                    return new KvClient(port(i.serviceAddress())).call("GET before-failover").equals("VALUE kept");
                } catch (RuntimeException e) {
                    return false;
                }
            }
        }
        return false;
    }
}
