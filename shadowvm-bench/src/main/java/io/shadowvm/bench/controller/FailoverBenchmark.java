package io.shadowvm.bench.controller;

import io.shadowvm.agent.HostAgent;
import io.shadowvm.agent.TelemetrySource;
import io.shadowvm.agent.ingress.L4IngressPlane;
import io.shadowvm.agent.runtime.ProcessGuestRuntime;
import io.shadowvm.controller.Controller;
import io.shadowvm.controller.loop.Inbound;
import io.shadowvm.controller.loop.LoopConfig;
import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.ShadowState;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.core.agent.AgentRunner;
import io.shadowvm.core.agent.IdleStrategy;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import io.shadowvm.hypervisor.process.KvClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Failover on loopback, nothing simulated: a controller with its embedded ZooKeeper, one in-process agent per host
 * (3 racks × 2 hosts, 100 ms heartbeats and telemetry, the default phi-accrual detector for that interval) running
 * process guests (the KV guest, a child JVM on a mapped 16 MiB state file) replicated with shadowvm-sync every
 * 100 ms, and the L4 ingress on the last host. Each round creates a 1:1 standby VM, writes a key, waits until the
 * shadow acknowledged it, then kills the primary's host (agent silenced, every guest SIGKILLed) and polls the key
 * through the ingress until the promoted shadow answers it. Per round:
 * <ul>
 *   <li>detection: host death → the controller declares it dead (fences, sends the promotion);</li>
 *   <li>promotion: → the promotion's outcome (command round trip, replica digest check, guest start or adoption);</li>
 *   <li>traffic switch: → the first answer through the ingress (weights push, ingress switch, client reconnect);</li>
 *   <li>RTO: host death → the promoted shadow answering through the ingress; RPO in epochs.</li>
 * </ul>
 * The same rounds run twice in one process: with cold promotion (the guest JVM started on the replica, the
 * baseline) and with warm spares (a standby guest per shadow adopts the replica). Prints p50/p99 of each part, the
 * ratio warm/cold, and the ratio of the RTO to the 1 s target.
 *
 * <p>Run: {@code java -cp 'shadowvm-bench/target/shadowvm-bench-0.1.0-SNAPSHOT.jar:shadowvm-bench/target/lib/*'
 * io.shadowvm.bench.controller.FailoverBenchmark [rounds] [both|warm|cold]}
 */
public final class FailoverBenchmark {
    static final long WAIT_MS = 60_000;

    private FailoverBenchmark() {
    }

    /** One failover's measurements, in ms (RPO in epochs). */
    record Round(long detectionMs, long promotionMs, long switchMs, long rtoMs, long rpoEpochs, long sinceHeartbeatMs) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        String modes = args.length > 1 ? args[1] : "both";
        System.out.printf("failover benchmark: %d rounds per mode, load average %s%n", rounds, loadAverage());
        List<Round> cold = modes.equals("warm") ? List.of() : run(rounds, false);
        List<Round> warm = modes.equals("cold") ? List.of() : run(rounds, true);
        report("cold promotion (baseline)", cold);
        report("warm spares", warm);
        if (warm.isEmpty() || cold.isEmpty()) {
            List<Round> any = warm.isEmpty() ? cold : warm;
            System.out.printf(Locale.ROOT, "RTO vs the 1 s target: p50 %.2fx, p99 %.2fx; load average %s%n",
                pct(any, Round::rtoMs, 50) / 1000.0, pct(any, Round::rtoMs, 99) / 1000.0, loadAverage());
            return;
        }
        double coldP50 = pct(cold, Round::rtoMs, 50);
        double warmP50 = pct(warm, Round::rtoMs, 50);
        System.out.printf(Locale.ROOT, "RTO p50 warm/cold: %.2fx; warm RTO vs the 1 s target: p50 %.2fx, p99 %.2fx;"
                + " load average %s%n", warmP50 / coldP50, warmP50 / 1000.0, pct(warm, Round::rtoMs, 99) / 1000.0,
            loadAverage());
    }

    static void report(String name, List<Round> r) {
        System.out.printf(Locale.ROOT, "%-26s n=%d  RTO p50 %4.0f ms p99 %4.0f ms | detection p50 %4.0f p99 %4.0f |"
                + " promotion p50 %4.0f p99 %4.0f | traffic switch p50 %4.0f p99 %4.0f | RPO max %d epochs |"
                + " RTO from last heartbeat p50 %4.0f ms%n", name, r.size(), pct(r, Round::rtoMs, 50), pct(r, Round::rtoMs, 99),
            pct(r, Round::detectionMs, 50), pct(r, Round::detectionMs, 99), pct(r, Round::promotionMs, 50),
            pct(r, Round::promotionMs, 99), pct(r, Round::switchMs, 50), pct(r, Round::switchMs, 99),
            r.stream().mapToLong(Round::rpoEpochs).max().orElse(-1), pct(r, Round::sinceHeartbeatMs, 50));
    }

    static double pct(List<Round> r, java.util.function.ToLongFunction<Round> f, int p) {
        long[] v = r.stream().mapToLong(f).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, i))];
    }

    static List<Round> run(int rounds, boolean warmSpares) throws Exception {
        Topology topology = TopologyGenerator.generate(new TopologyGenerator.Spec(1, 3, 2, 1, false, 40, "dc1"));
        Path data = Files.createTempDirectory("svm-bench-ctl-");
        Path work = Files.createTempDirectory(Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : "/tmp"),
            "svm-bench-fo-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String ingressHost = topology.hosts().get(topology.hosts().size() - 1).name();
        L4IngressPlane ingress = new L4IngressPlane("127.0.0.1", 0);
        Map<String, HostAgent> agents = new LinkedHashMap<>();
        Map<String, ProcessGuestRuntime> runtimes = new LinkedHashMap<>();
        List<AgentRunner> runners = new ArrayList<>();
        List<Round> out = new ArrayList<>();
        Controller[] ctl = new Controller[1];
        try (Controller c = Controller.start(new Controller.Context().topology(topology).loop(LoopConfig.of(100, 100))
            .grpcPort(port).httpPort(0).dataDir(data).errors(Throwable::printStackTrace))) {
            for (Host h : topology.hosts()) {
                ProcessGuestRuntime rt = new ProcessGuestRuntime(h.name(), work.resolve(h.name()), "127.0.0.1", 100,
                    EpochClock.SYSTEM, warmSpares);
                boolean isIngress = h.name().equals(ingressHost);
                HostAgent a = new HostAgent(new HostAgent.Config(h.name(), List.of("127.0.0.1:" + port), "127.0.0.1:0",
                    isIngress, h.cores(), h.memoryMib(), 100), EpochClock.SYSTEM, rt, TelemetrySource.NONE,
                    isIngress ? ingress : null);
                runtimes.put(h.name(), rt);
                agents.put(h.name(), a);
                runners.add(new AgentRunner(a, IdleStrategy.sleeping(1_000_000), t -> { }).start());
            }
            ctl[0] = c;
            await(() -> alive(c) == topology.hosts().size(), "all agents registered");
            for (int i = 0; i < rounds; i++) {
                Round r;
                try {
                    r = round(c, "kv" + i, agents, runtimes, ingress, ingressHost, warmSpares);
                } catch (IllegalStateException e) {
                    // an overloaded machine can stall an agent past the detector (its host is fenced) or a guest start:
                    // the round is reported as failed and the cluster brought back for the next one
                    System.out.printf("  %s round %d failed: %s%n", warmSpares ? "warm" : "cold", i, e.getMessage());
                    agents.values().forEach(a -> a.pause(false));
                    if (c.snapshot().placements().containsKey("kv" + i)) {
                        delete(c, "kv" + i);
                    }
                    await(() -> alive(c) == agents.size(), "every host back after a failed round");
                    continue;
                }
                if (r != null) {
                    out.add(r);
                    System.out.printf(Locale.ROOT, "  %s round %d: RTO %d ms = detection %d + promotion %d + switch %d;"
                            + " RPO %d epochs%n", warmSpares ? "warm" : "cold", i, r.rtoMs(), r.detectionMs(),
                        r.promotionMs(), r.switchMs(), r.rpoEpochs());
                }
            }
        } catch (RuntimeException e) {
            System.out.println("events before the failure:");
            if (ctl[0] != null) {
                ctl[0].events().since(0, 10_000).stream().skip(Math.max(0, ctl[0].events().since(0, 10_000).size() - 40))
                    .forEach(ev -> System.out.println("  " + ev));
                System.out.println("  " + ctl[0].snapshot().placements());
            }
            agents.values().forEach(a -> System.out.println("  " + a.host() + " " + a.lastRefusal() + " " + a.instances()));
            throw e;
        } finally {
            for (AgentRunner r : runners) {
                r.close();
            }
            for (ProcessGuestRuntime rt : runtimes.values()) {
                rt.close();
            }
            ingress.close();
            deleteTree(work);
            deleteTree(data);
        }
        return out;
    }

    private static Round round(Controller c, String vm, Map<String, HostAgent> agents,
                               Map<String, ProcessGuestRuntime> runtimes, L4IngressPlane ingress, String ingressHost,
                               boolean warm) throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        c.offer(new Inbound.CreateVm(new VmDesired(new VmSpec(vm, 1, 64, 10, ShadowPolicy.of(1, ShadowMode.STANDBY),
            List.of()), "process", 0), done));
        String primary = done.get(30, TimeUnit.SECONDS);
        await(() -> {
            VmPlacement p = c.snapshot().placements().get(vm);
            return p != null && p.phase() == VmPhase.RUNNING && !p.serviceAddress().isEmpty()
                && p.shadows().get(0).state() == ShadowState.IN_SYNC && p.shadows().get(0).ackedEpoch() >= 2
                && ingress.address(vm) != null;
        }, vm + " running with its shadow in sync");
        String shadowHost = c.snapshot().placements().get(vm).shadows().get(0).host();
        if (primary.equals(ingressHost)) {
            delete(c, vm);
            return null; // killing the ingress host would kill the measurement
        }
        if (warm) {
            await(() -> runtimes.get(shadowHost).spareReady(vm), "warm spare of " + vm);
        }
        // a short read timeout: a poll that reached the dead primary must not hide the switch for seconds
        KvClient front = new KvClient(ingress.address(vm).getPort(), 1_000, 100);
        await(() -> "OK".equals(callQuietly(front, "SET key-" + vm + " v")), "write through the ingress");
        // the write is in the first checkpoint taken after it at the latest: read the primary's newest checkpoint now
        // (fresh, from its runtime) and wait until the shadow applied the next one
        long written = runtimes.get(primary).lastCheckpoint(vm, 1);
        await(() -> epoch(agents.get(shadowHost), vm, false) >= written + 1, "shadow acks the write");
        int before = c.snapshot().failovers().size();

        long t0 = System.currentTimeMillis();
        agents.get(primary).pause(true);
        runtimes.get(primary).killAll();
        String answer = null;
        long answeredAt = 0;
        long deadline = t0 + WAIT_MS;
        while (answer == null || !answer.equals("VALUE v")) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(vm + ": no answer through the ingress " + WAIT_MS + " ms after killing "
                    + primary + " (last: " + answer + ")");
            }
            answer = callQuietly(front, "GET key-" + vm);
            answeredAt = System.currentTimeMillis();
            if (answer == null || !answer.equals("VALUE v")) {
                LockSupport.parkNanos(2_000_000);
            }
        }
        await(() -> c.snapshot().failovers().size() > before, "failover record of " + vm);
        FailoverRecord f = c.snapshot().failovers().get(c.snapshot().failovers().size() - 1);
        long lastTaken = epoch(agents.get(primary), vm, true); // the dead primary's last checkpoint
        Round r = new Round(f.detectedAtMs() - t0, f.completedAtMs() - f.detectedAtMs(), answeredAt - f.completedAtMs(),
            answeredAt - t0, Math.max(0, lastTaken - f.resumedEpoch()), f.rtoMs());
        // the killed host comes back (fenced, its stale instances stopped) for the next rounds
        agents.get(primary).pause(false);
        await(() -> alive(c) == agents.size(), primary + " back");
        delete(c, vm);
        return r;
    }

    /** The VM epoch of the local primary (last taken) or shadow (last applied) as the agent's runtime reports it. */
    private static long epoch(HostAgent agent, String vm, boolean primary) {
        for (var i : agent.instances()) {
            if (i.vm().equals(vm) && i.primary() == primary) {
                return i.epoch();
            }
        }
        return -1;
    }

    private static void delete(Controller c, String vm) throws Exception {
        CompletableFuture<String> gone = new CompletableFuture<>();
        c.offer(new Inbound.DeleteVm(vm, gone));
        gone.get(30, TimeUnit.SECONDS);
    }

    private static long alive(Controller c) {
        return c.snapshot().hosts().stream().filter(h -> h.state().equals("ALIVE")).count();
    }

    private static String callQuietly(KvClient client, String request) {
        try {
            return client.call(request);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void await(BooleanSupplier cond, String what) {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out after " + WAIT_MS + " ms waiting for: " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return String.join(" ", Arrays.copyOf(f, 3));
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) {
        try (var w = Files.walk(dir)) {
            w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // best effort
        }
    }
}
