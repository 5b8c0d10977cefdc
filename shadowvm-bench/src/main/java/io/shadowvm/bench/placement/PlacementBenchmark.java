package io.shadowvm.bench.placement;

import ai.timefold.solver.core.api.score.buildin.hardsoftlong.HardSoftLongScore;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import io.shadowvm.core.vm.VmSpec;
import io.shadowvm.placement.ClusterState;
import io.shadowvm.placement.OnlinePlacer;
import io.shadowvm.placement.Placement;
import io.shadowvm.placement.PlacementInfeasibleException;
import io.shadowvm.placement.rebalance.domain.RebalancePlan;
import io.shadowvm.placement.rebalance.solver.Rebalancer;
import ai.timefold.solver.core.config.localsearch.LocalSearchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The Placement Manager's benchmark (a whole-process run, not JMH: the figures are totals and per-VM
 * latencies of one cold run, as an operator would see them).
 *
 * <ol>
 *   <li>Online placement: {@code --vms} VMs with {@code --shadows} shadows each onto a generated
 *       heterogeneous topology ({@code --pods × --racks-per-pod × --hosts-per-rack}); total time, per-VM
 *       latency percentiles (HdrHistogram), and an independent check of every hard constraint. Baseline in
 *       the same run: a full-scan placer (same filters, every role scans every host) on the first
 *       {@code --baseline-vms} VMs, against the indexed placer's latencies for the same VMs.</li>
 *   <li>Rebalancing: a 1,000-host cluster fragmented by churn (3 × {@code --rebalance-vms} arrivals placed
 *       online; once {@code --rebalance-vms} VMs run, every arrival is followed by a random departure); that
 *       greedy (online) placement is the start; Timefold runs {@code --rebalance-seconds}; soft score gained,
 *       per constraint, and the moves.</li>
 * </ol>
 *
 * <pre>java -cp 'shadowvm-bench/target/shadowvm-bench-0.1.0-SNAPSHOT.jar:shadowvm-bench/target/lib/*' \
 *     io.shadowvm.bench.placement.PlacementBenchmark [--vms 100000] [--rebalance-seconds 30] ...</pre>
 */
public final class PlacementBenchmark {
    private int vms = 100_000;
    private int shadows = 2;
    private int pods = 10;
    private int racksPerPod = 25;
    private int hostsPerRack = 40;
    private int baselineVms = 10_000;
    private int rebalanceVms = 10_000;
    private double rebalanceSeconds = 30;
    private long seed = 1;
    private boolean online = true;
    private boolean rebalance = true;
    private boolean compareLateAcceptance = true;

    private final java.io.PrintStream out;

    PlacementBenchmark(java.io.PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        new PlacementBenchmark(System.out).run(args);
    }

    void run(String[] args) {
        PlacementBenchmark b = this;
        b.parse(args);
        if (b.online) {
            b.online();
        }
        if (b.rebalance) {
            b.rebalance();
        }
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--vms" -> vms = Integer.parseInt(args[++i]);
                case "--shadows" -> shadows = Integer.parseInt(args[++i]);
                case "--pods" -> pods = Integer.parseInt(args[++i]);
                case "--racks-per-pod" -> racksPerPod = Integer.parseInt(args[++i]);
                case "--hosts-per-rack" -> hostsPerRack = Integer.parseInt(args[++i]);
                case "--baseline-vms" -> baselineVms = Integer.parseInt(args[++i]);
                case "--rebalance-vms" -> rebalanceVms = Integer.parseInt(args[++i]);
                case "--rebalance-seconds" -> rebalanceSeconds = Double.parseDouble(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--online-only" -> rebalance = false;
                case "--rebalance-only" -> online = false;
                case "--no-late-acceptance" -> compareLateAcceptance = false;
                default -> throw new IllegalArgumentException("unknown option " + a + " (expected: --vms N, --shadows N, "
                    + "--pods N, --racks-per-pod N, --hosts-per-rack N, --baseline-vms N, --rebalance-vms N, "
                    + "--rebalance-seconds S, --seed S, --online-only, --rebalance-only, --no-late-acceptance)");
            }
        }
    }

    // ---- online placement --------------------------------------------------------------------------

    private void online() {
        Topology t = TopologyGenerator.generate(new TopologyGenerator.Spec(pods, racksPerPod, hostsPerRack, seed, true,
            400, "bench"));
        List<VmSpec> specs = Workload.vms(vms, shadows, seed);
        out.printf(Locale.ROOT, "== online placement: %,d VMs x %d shadows onto %,d hosts (%d pods, %d racks), seed %d%n",
            vms, shadows, t.hosts().size(), pods, t.racks().size(), seed);

        ClusterState state = new ClusterState(t);
        OnlinePlacer placer = new OnlinePlacer(state, seed);
        Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram first = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        int infeasible = 0;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < specs.size(); i++) {
            long a = System.nanoTime();
            try {
                placer.place(specs.get(i));
            } catch (PlacementInfeasibleException e) {
                infeasible++;
            }
            long ns = System.nanoTime() - a;
            all.recordValue(ns);
            if (i < baselineVms) {
                first.recordValue(ns);
            }
        }
        long totalNs = System.nanoTime() - start;
        long cpuNs = threads.getCurrentThreadCpuTime() - cpuStart;
        HardConstraintCheck check = HardConstraintCheck.of(state);
        out.printf(Locale.ROOT, "indexed placer : %,d placed, %,d infeasible, total %.2f s (%,.0f VMs/s)%n",
            state.placedCount(), infeasible, totalNs / 1e9, vms / (totalNs / 1e9));
        out.printf(Locale.ROOT, "  CPU time     : %.2f s on the placing thread (wall minus this = time the shared "
            + "machine gave to others, GC and JIT threads)%n", cpuNs / 1e9);
        out.println("  per VM        : " + percentiles(all));
        out.printf(Locale.ROOT, "  utilisation   : %.1f%% of cores, %.1f%% of memory reserved%n",
            100.0 * usedCores(state) / t.totalCores(), 100.0 * usedMemory(state) / t.totalMemoryMib());
        out.println("  hard check    : " + check + (check.violations == 0 ? " -> 100% of placements satisfy every hard constraint" : ""));

        int n = Math.min(baselineVms, vms);
        ClusterState baseState = new ClusterState(t);
        FullScanPlacer baseline = new FullScanPlacer(baseState);
        Histogram base = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        int baseInfeasible = 0;
        long baseStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long a = System.nanoTime();
            try {
                baseline.place(specs.get(i));
            } catch (PlacementInfeasibleException e) {
                baseInfeasible++;
            }
            base.recordValue(System.nanoTime() - a);
        }
        long baseNs = System.nanoTime() - baseStart;
        HardConstraintCheck baseCheck = HardConstraintCheck.of(baseState);
        out.printf(Locale.ROOT, "full-scan baseline on the first %,d VMs: total %.2f s, %,d infeasible, %s%n", n,
            baseNs / 1e9, baseInfeasible, baseCheck);
        out.println("  per VM        : " + percentiles(base));
        out.println("  indexed, same VMs: " + percentiles(first));
        out.printf(Locale.ROOT, "  ratio (full scan / indexed): mean %.1fx, p50 %.1fx, p99 %.1fx%n",
            base.getMean() / first.getMean(),
            (double) base.getValueAtPercentile(50) / first.getValueAtPercentile(50),
            (double) base.getValueAtPercentile(99) / first.getValueAtPercentile(99));
    }

    private Rebalancer.Result report(String label, Rebalancer rebalancer, ClusterState state, RebalancePlan startPlan) {
        Map<String, HardSoftLongScore> before = rebalancer.scoreByConstraint(startPlan);
        Rebalancer.Result r = rebalancer.solve(state);
        Map<String, HardSoftLongScore> after = rebalancer.scoreByConstraint(r.bestPlan());
        int roles = startPlan.getAssignments().size();
        out.printf(Locale.ROOT, "%s: %d ms, %,d roles; score %s -> %s%n", label, r.millis(), roles, r.startScore(),
            r.bestScore());
        out.printf(Locale.ROOT, "  soft gained  : %,d (%.1f%% of the greedy start's soft penalty), %,d moves (%.1f%% of roles)%n",
            r.softGained(), 100.0 * r.softGained() / Math.max(1, -r.startScore().softScore()), r.moves().size(),
            100.0 * r.moves().size() / roles);
        out.println("  per constraint (greedy start -> best), soft ones:");
        for (Map.Entry<String, HardSoftLongScore> e : before.entrySet()) {
            if (e.getValue().softScore() != 0 || after.get(e.getKey()).softScore() != 0) {
                out.printf(Locale.ROOT, "    %-30s %,12d -> %,12d%n", e.getKey(), e.getValue().softScore(),
                    after.get(e.getKey()).softScore());
            }
        }
        out.println("  hard         : " + (r.bestScore().isFeasible() ? "feasible" : "INFEASIBLE"));
        return r;
    }

    private static String percentiles(Histogram h) {
        return String.format(Locale.ROOT, "mean %.1f us, p50 %.1f us, p90 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us",
            h.getMean() / 1e3, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
            h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }

    private static long usedCores(ClusterState s) {
        long used = 0;
        for (int h = 0; h < s.hostCount(); h++) {
            used += s.topology().host(h).cores() - s.freeCores(h);
        }
        return used;
    }

    private static long usedMemory(ClusterState s) {
        long used = 0;
        for (int h = 0; h < s.hostCount(); h++) {
            used += s.topology().host(h).memoryMib() - s.freeMemoryMib(h);
        }
        return used;
    }

    // ---- rebalancing -------------------------------------------------------------------------------

    private void rebalance() {
        Topology t = TopologyGenerator.generate(new TopologyGenerator.Spec(5, 10, 20, seed, true, 400, "bench"));
        int arrivals = rebalanceVms * 3;
        out.printf(Locale.ROOT, "%n== rebalancing: %,d hosts; churn of %,d VM arrivals, each one past %,d VMs "
            + "followed by a random departure (fragmented); Timefold for %.0f s, seed %d%n", t.hosts().size(), arrivals,
            rebalanceVms, rebalanceSeconds, seed);
        ClusterState state = new ClusterState(t);
        OnlinePlacer placer = new OnlinePlacer(state, seed);
        List<String> names = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(seed + 2);
        for (VmSpec vm : Workload.vms(arrivals, -1, seed + 1)) {
            try {
                placer.place(vm);
                names.add(vm.name());
            } catch (PlacementInfeasibleException e) {
                // full for this one; churn goes on
            }
            if (names.size() > rebalanceVms) {
                int i = rnd.nextInt(names.size());
                state.remove(names.get(i));
                names.set(i, names.get(names.size() - 1));
                names.remove(names.size() - 1);
            }
        }
        out.printf(Locale.ROOT, "greedy start   : %,d VMs, %.1f%% of cores, %.1f%% of memory reserved, %s%n",
            state.placedCount(), 100.0 * usedCores(state) / t.totalCores(), 100.0 * usedMemory(state) / t.totalMemoryMib(),
            HardConstraintCheck.of(state));

        Duration limit = Duration.ofMillis((long) (rebalanceSeconds * 1000));
        RebalancePlan startPlan = Rebalancer.planOf(state);
        Rebalancer.Result lateAcceptance = null;
        if (compareLateAcceptance) {
            lateAcceptance = report("late acceptance (Timefold's default local search)",
                new Rebalancer(limit, null, seed, LocalSearchType.LATE_ACCEPTANCE), state, startPlan);
        }
        Rebalancer.Result r = report("hill climbing (the Rebalancer's default)",
            new Rebalancer(limit, null, seed), state, startPlan);
        if (lateAcceptance != null) {
            out.printf(Locale.ROOT, "  ratio (hill climbing / late acceptance): soft gained %.2fx with %.2fx the moves%n",
                (double) r.softGained() / Math.max(1, lateAcceptance.softGained()),
                (double) r.moves().size() / Math.max(1, lateAcceptance.moves().size()));
        }
        Rebalancer.apply(state, r);
        out.println("  applied      : " + HardConstraintCheck.of(state));
    }
}
