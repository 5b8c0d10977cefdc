package io.shadowvm.cli.controller;

import static io.shadowvm.cli.controller.DemoVms.await;
import static io.shadowvm.cli.controller.DemoVms.counted;
import static io.shadowvm.cli.controller.DemoVms.create;
import static io.shadowvm.cli.controller.DemoVms.inSync;

import io.shadowvm.agent.HostAgent;
import io.shadowvm.agent.TelemetrySource;
import io.shadowvm.agent.VmRuntime;
import io.shadowvm.agent.ingress.L4IngressPlane;
import io.shadowvm.agent.runtime.ProcessGuestRuntime;
import io.shadowvm.agent.uplink.DiscardSink;
import io.shadowvm.agent.uplink.RackUplink;
import io.shadowvm.agent.uplink.UplinkVmRuntime;
import io.shadowvm.controller.Controller;
import io.shadowvm.controller.failure.PhiConfig;
import io.shadowvm.controller.loop.LoopConfig;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.cli.testbed.TestbedCluster;
import io.shadowvm.core.agent.AgentRunner;
import io.shadowvm.core.agent.IdleStrategy;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Rack;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.hypervisor.process.KvClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shadowvm demo}: the whole system on one machine, for real, on loopback: a controller (embedded
 * ZooKeeper), one in-process agent per host of a 3-rack topology running process guests replicated with
 * shadowvm-sync, an L4 ingress, client traffic through it, then a host killed and its VMs promoted and
 * re-shadowed. Before the kill, a congestion phase: real bulk traffic through the rate-limited loopback uplink of
 * the primary's rack (shadowvm-agent's {@code RackUplink}) whose measured utilization is the link telemetry.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run ShadowVM end to end on loopback: place VMs with 1:1 and 1:2 shadow policies, replicate them,",
        "serve client traffic through the ingress redirector, congest one rack's rate-limited uplink with a bulk",
        "transfer (weights move to the shadow before it saturates, and back), kill a host, promote its VMs' shadows, restore the",
        "shadow count; prints a live timeline and a summary (--json for the machine-readable one)."})
public final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print only the summary as JSON.")
    boolean json;

    @Option(names = "--report", description = "Write an HTML report here (default: .shadowvm/demo-report.html).")
    Path report;

    @Option(names = "--steady-s", defaultValue = "5", description = "Seconds of traffic before the host is killed (default ${DEFAULT-VALUE}).")
    int steadySeconds;

    @Option(names = "--uplink-mbps", defaultValue = "4", description = "Capacity of each rack uplink in Mbit/s: the loopback relay, or the testbed tbf (default ${DEFAULT-VALUE}).")
    int uplinkMbps;

    @Option(names = "--testbed", description = {"Run on the namespace testbed instead of loopback (root; installs nothing:",
        "run scripts/install-deps.sh first): agents in host namespaces, tbf-limited uplinks, a QEMU guest."})
    boolean testbed;

    @Option(names = "--no-congestion", description = "Skip the congestion phase.")
    boolean noCongestion;

    /** Per second of the congestion phase: t (s since start), offered, measured utilization, score, shadow share. */

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private DemoRecorder rec;
    private volatile boolean trafficOn = true;

    @Override
    public Integer call() throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
            System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "error"));
        PrintWriter out = spec.commandLine().getOut();
        Thread hook = new Thread(this::closeAll, "shadowvm-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(out);
        } finally {
            closeAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    private int run(PrintWriter out) throws Exception {
        if (testbed) {
            rec = new DemoRecorder(out, json);
            TestbedDemo d = new TestbedDemo(rec, uplinkMbps, !noCongestion);
            cleanup.add(0, d::close);
            d.run(report != null ? report : Path.of(".shadowvm", "demo-report.html"));
            return 0;
        }
        Topology t = TopologyGenerator.generate(new TopologyGenerator.Spec(1, 3, 2, 1, false, 40, "demo"));
        Path shm = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path work = Files.createTempDirectory(shm, "shadowvm-demo-");
        cleanup.add(() -> TestbedCluster.deleteTree(work));
        rec = new DemoRecorder(out, json);
        long t0 = rec.t0();
        // a killed host (its stream drops) is dead after about 0.6 s of silence; one silent with its stream up gets 8 s more
        LoopConfig loop = new LoopConfig(250, 100, 250, 2_000, 5_000, 1_000, new PhiConfig(100, 200, 500, 100, 3, 8, 8_000));
        Controller c = Controller.start(new Controller.Context().topology(t).dataDir(work.resolve("controller"))
            .grpcPort(freePort()).httpPort(0).loop(loop).controllerId("demo-controller"));
        cleanup.add(0, c);
        rec.follow(c);
        say(out, "ShadowVM demo: " + t + "; controller with embedded ZooKeeper; REST on http://127.0.0.1:" + c.httpPort()
            + "/api/v1");
        Map<String, HostAgent> agents = new LinkedHashMap<>();
        Map<String, ProcessGuestRuntime> runtimes = new LinkedHashMap<>();
        String ingressHost = t.hosts().get(t.hosts().size() - 1).name();
        L4IngressPlane ingress = new L4IngressPlane("127.0.0.1", 0);
        Map<String, RackUplink> uplinks = new LinkedHashMap<>();
        Map<String, VmRuntime> fronted = new LinkedHashMap<>();
        for (Rack rack : t.racks()) {
            RackUplink u = new RackUplink(t.uplink(rack.index()).name(), uplinkMbps * 1_000_000L, NanoClock.SYSTEM);
            uplinks.put(rack.name(), u);
            cleanup.add(0, u);
        }
        for (Host h : t.hosts()) {
            ProcessGuestRuntime rt = new ProcessGuestRuntime(h.name(), work.resolve(h.name()), "127.0.0.1", 100,
                EpochClock.SYSTEM);
            Rack rack = t.rackOf(h);
            RackUplink u = uplinks.get(rack.name());
            VmRuntime urt = noCongestion ? rt : new UplinkVmRuntime(rt, u);
            // the rack's first host reports its uplink's utilization, as the monitor on the ToR-facing host would
            TelemetrySource tel = t.hosts().get(rack.hosts().get(0)).name().equals(h.name()) ? u : TelemetrySource.NONE;
            boolean in = h.name().equals(ingressHost);
            HostAgent a = new HostAgent(new HostAgent.Config(h.name(), List.of("127.0.0.1:" + grpcPort(c)), "127.0.0.1",
                in, h.cores(), h.memoryMib(), 200), EpochClock.SYSTEM, urt, tel, in ? ingress : null);
            AgentRunner r = new AgentRunner(a, IdleStrategy.sleeping(1_000_000), x -> { }).start();
            fronted.put(h.name(), urt);
            cleanup.add(0, urt);
            cleanup.add(0, r);
            agents.put(h.name(), a);
            runtimes.put(h.name(), rt);
        }
        cleanup.add(0, ingress);
        await(60, "all 6 agents registered", () -> c.snapshot().hosts().stream().filter(h -> h.state().equals("ALIVE")).count() == 6);

        create(c, "web", "process", ShadowPolicy.of(1, ShadowMode.SERVING), 64, 10);
        create(c, "db", "process", ShadowPolicy.of(2, ShadowMode.STANDBY), 64, 10);
        await(90, "VMs running with every shadow in sync", () -> inSync(c, "web", 1) && inSync(c, "db", 2));
        await(30, "ingress tables for both VMs", () -> ingress.address("web") != null && ingress.address("db") != null);
        say(out, "ingress: web at " + ingress.address("web") + ", db at " + ingress.address("db"));

        Thread traffic = new Thread(() -> traffic(ingress, c), "shadowvm-demo-client");
        traffic.setDaemon(true);
        traffic.start();
        sleepS(steadySeconds);

        if (noCongestion) {
            say(out, "congestion phase: skipped (--no-congestion)");
        } else {
            congestion(out, c, t, uplinks, t0);
        }

        String victim = c.snapshot().placements().get("web").primaryHost();
        String dbPrimary = c.snapshot().placements().get("db").primaryHost();
        say(out, "killing host " + victim + " (its agent goes silent, its guests are SIGKILLed)");
        agents.get(victim).pause(true);
        runtimes.get(victim).killAll();
        if (fronted.get(victim) instanceof UplinkVmRuntime uv) {
            uv.closeFronts();
        }
        long killedAt = System.currentTimeMillis();
        int expected = (int) c.snapshot().placements().values().stream().filter(p -> p.primaryHost().equals(victim)).count();
        await(60, "failover of the VMs that ran on " + victim, () -> c.snapshot().failovers().size() >= expected
            && c.snapshot().placements().values().stream().allMatch(p -> p.phase() == VmPhase.RUNNING));
        await(60, "every VM back to its policy's shadow count", () -> counted(c, "web") == 1 && counted(c, "db") == 2);
        sleepS(2);
        trafficOn = false;
        rec.stopPrinting();
        traffic.join(5_000);
        // from here on the timeline is no longer printed (shutdown disconnects are not part of the story)
        say(out, "ingress traffic after the failover answered by " + c.snapshot().placements().get("web").primaryHost()
            + " (was " + victim + "); db primary " + dbPrimary + " -> " + c.snapshot().placements().get("db").primaryHost());

        rec.finish(c.snapshot(), report != null ? report : Path.of(".shadowvm", "demo-report.html"),
            Map.of(victim, killedAt));
        return 0;
    }

    /** Offered bulk load into the congested rack, as a fraction of the uplink's capacity, {@code s} seconds in. */
    static double offered(double s) {
        if (s < 4) {
            return 0.05 * s; // a gentle start: a step from idle would itself look like a trend
        }
        if (s < 7) {
            return 0.2;
        }
        if (s < 19) {
            return 0.2 + (s - 7) / 12.0;
        }
        return s < 25 ? 1.2 : 0.1;
    }

    /**
     * The congestion phase: a real bulk transfer into the rack of {@code web}'s primary crosses that rack's
     * rate-limited uplink relay following {@link #offered}; the uplink's measured utilization is the agent's
     * link telemetry; the controller's scorer and redirect's PolicyLoop do the rest. Nothing here sets a score
     * or a weight.
     */
    private void congestion(PrintWriter out, Controller c, Topology t, Map<String, RackUplink> uplinks, long t0)
        throws Exception {
        VmPlacement web = c.snapshot().placements().get("web");
        Host ph = t.host(web.primaryHost());
        Rack rack = t.rackOf(ph);
        RackUplink u = uplinks.get(rack.name());
        String shadowHost = web.shadows().isEmpty() ? "?" : web.shadows().get(0).host();
        say(out, "congestion phase: a bulk transfer into rack " + rack.name() + " (web's primary " + ph.name()
            + ") crosses its " + uplinkMbps + " Mbit/s uplink " + u.link() + "; web's serving shadow is on " + shadowHost
            + " (rack " + t.rackOf(t.host(shadowHost)).name() + "). Load: up to 20% by 4 s, ramp from 7 s to 120% at 19 s,"
            + " hold to 25 s, then 10%");
        DiscardSink sink = new DiscardSink();
        cleanup.add(0, sink);
        RackUplink.Front front = u.front(sink.address());
        cleanup.add(0, front);
        long capacityBps = u.bitsPerSecond() / 8;
        long startNs = System.nanoTime();
        AtomicLong phaseOffered = new AtomicLong(Double.doubleToLongBits(0));
        java.util.concurrent.atomic.AtomicBoolean bulkOn = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread bulk = new Thread(() -> {
            int colon = front.address().lastIndexOf(':');
            try (Socket s = new Socket()) {
                s.setSendBufferSize(32_768);
                s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(front.address().substring(colon + 1))), 3_000);
                OutputStream os = s.getOutputStream();
                byte[] chunk = new byte[4_096];
                double credit = 0;
                long last = System.nanoTime();
                while (bulkOn.get() && trafficOn) {
                    long now = System.nanoTime();
                    double f = offered((now - startNs) / 1e9);
                    phaseOffered.set(Double.doubleToLongBits(f));
                    credit = Math.min(credit + f * capacityBps * (now - last) / 1e9, 0.1 * capacityBps);
                    last = now;
                    while (credit >= chunk.length) {
                        os.write(chunk);
                        credit -= chunk.length;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            } catch (IOException e) {
                // the phase ended or the demo is closing
            }
        }, "shadowvm-demo-bulk");
        bulk.setDaemon(true);
        bulk.start();
        double firstShiftUtil = Double.NaN;
        double firstShiftAt = Double.NaN;
        double firstSaturatedAt = Double.NaN;
        double maxShare = 0;
        boolean returned = false;
        long deadline = startNs + TimeUnit.SECONDS.toNanos(55);
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1_000));
            double el = (System.nanoTime() - startNs) / 1e9;
            double util = u.lastUtilization();
            double score = DemoRecorder.score(c.snapshot(), u.link());
            double share = DemoRecorder.shadowShare(c.snapshot(), "web");
            if (share > 0.005 && Double.isNaN(firstShiftAt)) {
                firstShiftAt = el;
                firstShiftUtil = util;
            }
            if (util >= 0.97 && Double.isNaN(firstSaturatedAt)) {
                firstSaturatedAt = el;
            }
            maxShare = Math.max(maxShare, share);
            rec.uplinkRow(u.link(), Double.longBitsToDouble(phaseOffered.get()), util, util * u.bitsPerSecond() / 1e6,
                score, share);
            if (el > 25 && maxShare > 0 && share < 0.005) {
                returned = true;
                break;
            }
        }
        bulkOn.set(false);
        bulk.join(3_000);
        front.close();
        sink.close();
        if (maxShare == 0) {
            say(out, "congestion phase: the weights did not move (uplink utilization peaked without a prediction)");
        } else {
            say(out, String.format("congestion phase: weights moved %.0f s into the phase (uplink measured at %.0f%% of capacity in the next 1 s sample)"
                    + (Double.isNaN(firstSaturatedAt) ? "" : String.format(", %.1f s before it saturated",
                    firstSaturatedAt - firstShiftAt)) + "; up to %.0f%% of web's new connections went to its shadow; %s",
                firstShiftAt, firstShiftUtil * 100, maxShare * 100,
                returned ? "weights back on the primary after the load fell" : "weights had not returned within 55 s"));
        }
    }

    private void traffic(L4IngressPlane ingress, Controller c) {
        long i = 0;
        while (trafficOn) {
            for (String vm : List.of("web", "db")) {
                InetSocketAddress a = ingress.address(vm);
                try {
                    KvClient kv = new KvClient(a.getPort());
                    String r = vm.equals("db") ? kv.call("SET k" + (i % 50) + " v" + i) : kv.call("GET k1");
                    if (r.startsWith("OK") || r.startsWith("VALUE") || r.startsWith("NONE")) {
                        rec.ok.incrementAndGet();
                    } else {
                        rec.failed.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    rec.failed.incrementAndGet();
                }
            }
            rec.noteEpochs(c.snapshot());
            i++;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static void sleepS(int s) {
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(s));
    }

    private void say(PrintWriter out, String line) {
        rec.say(line);
    }

    private static int grpcPort(Controller c) {
        return c.grpcPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private synchronized void closeAll() {
        trafficOn = false;
        for (AutoCloseable a : cleanup) {
            try {
                a.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        cleanup.clear();
    }
}
