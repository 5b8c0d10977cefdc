package io.shadowvm.bench.controller;

import io.shadowvm.controller.interim.TrendScorer;
import io.shadowvm.controller.loop.ControlLoop;
import io.shadowvm.controller.loop.EventLog;
import io.shadowvm.controller.loop.Inbound;
import io.shadowvm.controller.loop.LoopConfig;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.controller.model.ShadowReplica;
import io.shadowvm.controller.store.InMemoryClusterStore;
import io.shadowvm.controller.wiring.PlacementManagerPlacer;
import io.shadowvm.controller.wiring.RedirectionPolicyWeights;
import io.shadowvm.core.time.ManualClock;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Link;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The control loop's cost per tick with simulated agents: every tick each host sends a heartbeat and a
 * telemetry batch (its links' utilization, a report per VM instance it runs), and the loop ingests them and
 * runs predict → weigh → push → reconcile → detect, then publishes its snapshot. The real placement and
 * redirect modules are used; the store is in memory (the loop writes structural changes only, so a steady
 * tick writes nothing). Prints the median and p99 tick in wall-clock time and in CPU time of the loop's
 * thread (the meaningful one on a shared, overloaded machine), and the ratio to the 100 ms budget and to
 * a baseline of the same loop with 1/10 of the VMs measured in the same run.
 *
 * <p>Run: {@code java -cp 'shadowvm-bench/target/shadowvm-bench-0.1.0-SNAPSHOT.jar:shadowvm-bench/target/lib/*'
 * io.shadowvm.bench.controller.ControlLoopTickBenchmark [hosts] [vms] [ticks]}
 */
public final class ControlLoopTickBenchmark {
    private ControlLoopTickBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int vms = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int ticks = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        double[] base = run(hosts, Math.max(1, vms / 10), ticks);
        double[] full = run(hosts, vms, ticks);
        System.out.printf("control loop tick, %d hosts, %d VMs (1:1 serving): wall median %.1f ms, p99 %.1f ms;"
                + " CPU median %.1f ms, p99 %.1f ms; CPU vs the 100 ms budget: %.2fx; vs %d VMs (CPU median %.1f ms):"
                + " %.1fx%n", hosts, vms, full[0], full[1], full[2], full[3], full[2] / 100.0, Math.max(1, vms / 10), base[2],
            full[2] / base[2]);
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** Returns {median, p99} wall-clock and {median, p99} CPU time of the loop's thread per tick, in ms. */
    static double[] run(int hosts, int vms, int ticks) throws Exception {
        int racks = Math.max(3, hosts / 40);
        Topology t = TopologyGenerator.generate(new TopologyGenerator.Spec(1, racks, Math.max(1, hosts / racks), 1, false,
            400, "bench"));
        ManualClock clock = new ManualClock();
        LoopConfig config = new LoopConfig(1_000, 1_000, 1_000, 60_000, 0, 60_000,
            new io.shadowvm.controller.failure.PhiConfig(1_000, 500, 5_000, 100, 3, 8));
        ControlLoop loop = new ControlLoop(config, clock, clock, "bench", t, new InMemoryClusterStore(), () -> true,
            () -> "bench", (a, e) -> true, new PlacementManagerPlacer(t, 1), new TrendScorer(),
            RedirectionPolicyWeights.withDwellMs(5_000), new EventLog(1_000));
        loop.doWork();
        for (Host h : t.hosts()) {
            loop.offer(new Inbound.Register(h.name(), "a-" + h.name(), 0, h.cores(), h.memoryMib(), "", false, List.of(),
                clock.epochMillis(), r -> { }));
        }
        loop.doWork();
        List<CompletableFuture<String>> created = new ArrayList<>();
        for (int i = 0; i < vms; i++) {
            CompletableFuture<String> f = new CompletableFuture<>();
            loop.offer(new Inbound.CreateVm(new VmDesired(new VmSpec("vm" + i, 1, 512, 10,
                ShadowPolicy.of(1, ShadowMode.SERVING), List.of()), "process", 0), f));
            created.add(f);
        }
        clock.advanceMillis(1_000);
        loop.doWork();
        for (CompletableFuture<String> f : created) {
            f.get();
        }
        Map<String, List<Inbound.VmReport>> reports = new HashMap<>();
        Map<String, List<Inbound.LinkSample>> links = new HashMap<>();
        double[] samples = new double[ticks];
        double[] cpuSamples = new double[ticks];
        for (int k = -5; k < ticks; k++) {
            long now = clock.epochMillis();
            reports.clear();
            for (VmPlacement p : loop.snapshot().placements().values()) {
                reports.computeIfAbsent(p.primaryHost(), x -> new ArrayList<>()).add(new Inbound.VmReport(p.vm(), true,
                    "running", k + 10, 0, p.generation(), true, "10.0.0.1:1", ""));
                for (ShadowReplica s : p.shadows()) {
                    reports.computeIfAbsent(s.host(), x -> new ArrayList<>()).add(new Inbound.VmReport(p.vm(), false,
                        "replica", k + 9, 50, p.generation(), true, "10.0.0.2:1", "10.0.0.2:2"));
                }
            }
            links.clear();
            for (Host h : t.hosts()) {
                Link l = t.hostLink(h.index());
                links.put(h.name(), List.of(new Inbound.LinkSample(l.name(), now, 0.3),
                    new Inbound.LinkSample(t.uplink(h.rack()).name(), now, 0.5)));
            }
            clock.advanceMillis(1_000);
            for (Host h : t.hosts()) {
                loop.offer(new Inbound.Heartbeat(h.name(), "a-" + h.name(), 1, clock.epochMillis()));
                loop.offer(new Inbound.Telemetry(h.name(), "a-" + h.name(), 1, clock.epochMillis(), links.get(h.name()),
                    List.of(), reports.getOrDefault(h.name(), List.of())));
            }
            long t0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            loop.doWork();
            long cpu = THREADS.getCurrentThreadCpuTime() - c0;
            long ns = System.nanoTime() - t0;
            if (k >= 0) {
                samples[k] = ns / 1e6;
                cpuSamples[k] = cpu / 1e6;
            }
        }
        Arrays.sort(samples);
        Arrays.sort(cpuSamples);
        int p99 = Math.min(ticks - 1, (int) Math.ceil(ticks * 0.99) - 1);
        return new double[] {samples[ticks / 2], samples[p99], cpuSamples[ticks / 2], cpuSamples[p99]};
    }
}
