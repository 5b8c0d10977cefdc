package io.shadowvm.bench.monitor;

import io.shadowvm.core.agent.AgentRunner;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import io.shadowvm.monitor.MonitorAgent;
import io.shadowvm.monitor.MonitorContext;
import io.shadowvm.monitor.export.TelemetryBatch;
import io.shadowvm.monitor.probe.ProbeResponder;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One agent probing every other host of a 1,000-host datacenter (25 racks × 40) at Pingmesh's pair bound
 * (each peer every 10 s: ~100 rounds/s, each a TCP request/response and a UDP echo over kept connections).
 * The peers are simulated by a few probe responders on loopback ports in this JVM. Measures the agent's
 * measuring thread: CPU as % of one core, bytes allocated per probe, and the heap the agent retains.
 * Baseline in the same run: the simulated responders' CPU per probe answered (the least a probe can cost).
 *
 * <p>Run: {@code java -Xmx256m -cp 'shadowvm-bench/target/shadowvm-bench-0.1.0-SNAPSHOT.jar:shadowvm-bench/target/lib/*'
 * io.shadowvm.bench.monitor.MonitorOverheadBench [peers=999] [intervalMs=10000] [warmupS=15] [measureS=30]
 * [reconnectMs=30000]}; reconnectMs 0 keeps connections (no connect probes); intervalMs 0 uses the
 * topology-derived plan instead of probing every peer (Pingmesh's default rates).
 */
public final class MonitorOverheadBench {
    private MonitorOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        int peers = args.length > 0 ? Integer.parseInt(args[0]) : 999;
        long intervalMs = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
        long warmupS = args.length > 2 ? Long.parseLong(args[2]) : 15;
        long measureS = args.length > 3 ? Long.parseLong(args[3]) : 30;
        long reconnectMs = args.length > 4 ? Long.parseLong(args[4]) : 30_000;
        Topology topology = TopologyGenerator.generate(new TopologyGenerator.Spec(1, 25, 40, 1, false, 100, "bench"));
        InetAddress lo = InetAddress.getLoopbackAddress();

        int responderCount = 4;
        List<ProbeResponder> responders = new ArrayList<>();
        List<AgentRunner> runners = new ArrayList<>();
        for (int i = 0; i < responderCount; i++) {
            ProbeResponder r = new ProbeResponder(new InetSocketAddress(lo, 0), EpochClock.SYSTEM);
            responders.add(r);
            runners.add(new AgentRunner(new Renamed(r, "sim-responder-" + i), r.idleStrategy(50), Throwable::printStackTrace).start());
        }
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long heapBefore = settledHeap(mem);

        MonitorContext ctx = new MonitorContext().topology(topology).host(topology.host(0).name())
            .intervalMs(intervalMs).counters(true).interfaceLink("lo", topology.hostLink(0).name())
            .probeSettings(io.shadowvm.monitor.probe.ProbeSettings.DEFAULT.withReconnectIntervalMs(reconnectMs));
        List<String> names = new ArrayList<>();
        for (int h = 1; h < topology.hosts().size(); h++) {
            String name = topology.host(h).name();
            if (h <= peers) {
                names.add(name);
            }
            ctx.peerAddress(name, responders.get(h % responderCount).address());
        }
        // intervalMs 0: the topology-derived Pingmesh plan (rack peers every 1 s, a few racks every 10 s)
        ctx.peers(intervalMs > 0 ? names : null).conclude();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] probes = new long[1];
        try (MonitorAgent agent = MonitorAgent.start(ctx)) {
            long tid = threadId("shadowvm-monitor");
            drainFor(agent, TimeUnit.SECONDS.toNanos(warmupS), probes);
            long cpu0 = threads.getThreadCpuTime(tid);
            long alloc0 = threads.getThreadAllocatedBytes(tid);
            long respCpu0 = responderCpu(threads);
            long answered0 = answered(responders);
            long probes0 = probes[0];
            long t0 = System.nanoTime();
            drainFor(agent, TimeUnit.SECONDS.toNanos(measureS), probes);
            long wall = System.nanoTime() - t0;
            long cpu = threads.getThreadCpuTime(tid) - cpu0;
            long alloc = threads.getThreadAllocatedBytes(tid) - alloc0;
            long respCpu = responderCpu(threads) - respCpu0;
            long answered = answered(responders) - answered0;
            long results = probes[0] - probes0;
            long heapAfter = settledHeap(mem);

            double cpuPct = 100.0 * cpu / wall;
            double agentNsPerProbe = (double) cpu / Math.max(1, results);
            double responderNsPerProbe = (double) respCpu / Math.max(1, answered);
            double retainedMiB = (heapAfter - heapBefore) / 1048576.0;
            System.out.printf(Locale.ROOT, "monitor overhead: %s, TCP reconnect (connect probe) every %d ms, %.1f s "
                + "measured%n", intervalMs > 0 ? peers + " peers every " + intervalMs + " ms"
                : "planned list of " + agent.plan().size() + " peers (" + String.format(Locale.ROOT, "%.1f",
                agent.plan().probesPerSecond()) + " rounds/s)", reconnectMs, wall / 1e9);
            System.out.printf(Locale.ROOT, "  probe results       %d (%.1f/s), errors %d, dropped batches %d%n", results,
                results / (wall / 1e9), agent.errorCount(), agent.droppedBatchCount());
            System.out.printf(Locale.ROOT, "  agent CPU           %.3f %% of one core (target < 2 %%: %.2fx of budget)%n",
                cpuPct, cpuPct / 2.0);
            System.out.printf(Locale.ROOT, "  agent CPU per probe %.1f us; simulated responder per probe answered %.1f us "
                + "(ratio %.2fx)%n", agentNsPerProbe / 1e3, responderNsPerProbe / 1e3, agentNsPerProbe / responderNsPerProbe);
            System.out.printf(Locale.ROOT, "  allocated           %.1f bytes per probe result on the agent thread%n",
                (double) alloc / Math.max(1, results));
            System.out.printf(Locale.ROOT, "  heap retained       %.1f MiB (target < 64 MiB: %.2fx of budget); heap max %d MiB%n",
                retainedMiB, retainedMiB / 64, Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            for (AgentRunner r : runners) {
                r.close();
            }
        }
    }

    /** Drains telemetry like the controller would, counting probe results, for {@code ns}. */
    private static void drainFor(MonitorAgent agent, long ns, long[] probes) {
        long end = System.nanoTime() + ns;
        while (System.nanoTime() < end) {
            TelemetryBatch b;
            while ((b = agent.pollBatch()) != null) {
                for (int i = 0; i < b.size(); i++) {
                    if (b.metric(i).isProbe()) {
                        probes[0]++;
                    }
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private static long settledHeap(MemoryMXBean mem) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return mem.getHeapMemoryUsage().getUsed();
    }

    private static long threadId(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t.getId();
            }
        }
        throw new IllegalStateException("no thread " + name);
    }

    private static long responderCpu(java.lang.management.ThreadMXBean threads) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("shadowvm-sim-responder")) {
                sum += threads.getThreadCpuTime(t.getId());
            }
        }
        return sum;
    }

    private static long answered(List<ProbeResponder> responders) {
        long n = 0;
        for (ProbeResponder r : responders) {
            n += r.answeredCount(); // read from another thread: a slightly stale count is fine here
        }
        return n;
    }

    /** Gives a responder's runner thread a distinct name. */
    private record Renamed(ProbeResponder r, String name) implements io.shadowvm.core.agent.Agent {
        @Override
        public int doWork() throws Exception {
            return r.doWork();
        }

        @Override
        public void onClose() {
            r.close();
        }

        @Override
        public String roleName() {
            return name;
        }
    }
}
