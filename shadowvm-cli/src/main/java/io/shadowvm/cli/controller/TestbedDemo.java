package io.shadowvm.cli.controller;

import static io.shadowvm.cli.controller.DemoVms.await;
import static io.shadowvm.cli.controller.DemoVms.counted;
import static io.shadowvm.cli.controller.DemoVms.create;
import static io.shadowvm.cli.controller.DemoVms.inSync;

import io.shadowvm.api.rest.Views.PredictionView;
import io.shadowvm.cli.testbed.TestbedCluster;
import io.shadowvm.controller.Controller;
import io.shadowvm.controller.failure.PhiConfig;
import io.shadowvm.controller.loop.ClusterSnapshot;
import io.shadowvm.controller.loop.LoopConfig;
import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code shadowvm demo --testbed}: the demo on the namespace testbed (root): 3 racks × 2 hosts of network
 * namespaces with tbf-limited uplinks, an agent JVM in every host namespace, a switch monitor on the spine,
 * the controller here. VMs {@code web} (process guest, 1:1 serving) and {@code db} (process guest, 1:2
 * standby) carry the client traffic, {@code vm} is a real QEMU guest (TCG, 1:1 standby). A ramp of iperf3
 * load congests the uplink of web's rack; the host of web's primary is killed, then the QEMU VM's primary's.
 */
final class TestbedDemo {
    private static final String PREFIX = "svdemo-";
    private static final int INGRESS_PORT = 18_000;

    private final DemoRecorder rec;
    private final int uplinkMbit;
    private final boolean congest;
    private TestbedCluster cluster;
    private Process client;
    private Path work;

    TestbedDemo(DemoRecorder rec, int uplinkMbit, boolean congest) {
        this.rec = rec;
        this.uplinkMbit = uplinkMbit;
        this.congest = congest;
    }

    /** What is missing for the testbed demo, or null. */
    static String missing() {
        return TestbedCluster.missing(List.of("ip", "tc", "iperf3", "qemu-system-x86_64"));
    }

    void close() {
        if (client != null) {
            client.destroy();
        }
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
        if (work != null) {
            TestbedCluster.deleteTree(work);
        }
    }

    void run(Path html) throws Exception {
        String why = missing();
        if (why != null) {
            throw new ShadowVmException("demo --testbed needs " + why);
        }
        work = Files.createTempDirectory(Path.of("/dev/shm"), "shadowvm-demo-testbed-");
        rec.say("building the namespace testbed (3 racks x 2 hosts, " + uplinkMbit + " Mbit/s uplinks) and starting "
            + "7 agent JVMs in its namespaces; work dir " + work);
        cluster = TestbedCluster.start(new TestbedCluster.Options(PREFIX, 3, 2, uplinkMbit, 50, work, null, null, 200,
            new LoopConfig(500, 100, 500, 2_000, 5_000, 1_000, new PhiConfig(100, 200, 500, 100, 3, 8, 8_000)),
            List.of("--ingress", "--ingress-port", String.valueOf(INGRESS_PORT))), 240_000);
        Controller c = cluster.controller();
        rec.follow(c);
        rec.say("testbed up: controller with embedded ZooKeeper here, agents on the management socket, REST on "
            + "http://127.0.0.1:" + c.httpPort() + "/api/v1");
        // one VM after the other, so that each ingress gives web port 18000 and db 18001
        create(c, "web", "process", ShadowPolicy.of(1, ShadowMode.SERVING), 64, 1);
        await(120, "web's weights at the ingresses", () -> c.snapshot().weights().containsKey("web"));
        create(c, "db", "process", ShadowPolicy.of(2, ShadowMode.STANDBY), 64, 1);
        await(120, "db's weights at the ingresses", () -> c.snapshot().weights().containsKey("db"));
        await(180, "web and db running with every shadow in sync", () -> inSync(c, "web", 1) && inSync(c, "db", 2));

        VmPlacement web = c.snapshot().placements().get("web");
        String webRack = cluster.hosts().get(web.primaryHost()).rack();
        String edge = cluster.hosts().values().stream().filter(h -> !h.rack().equals(webRack)).findFirst()
            .orElseThrow().name();
        String at = cluster.hosts().get(edge).address();
        client = cluster.startCli(edge, List.of("demo-client", "--target", at + ":" + INGRESS_PORT + "," + at + ":"
            + (INGRESS_PORT + 1)));
        Thread reader = new Thread(this::readClient, "shadowvm-demo-client-reader");
        reader.setDaemon(true);
        reader.start();
        rec.say("client traffic from " + edge + " through its ingress to web (" + at + ":" + INGRESS_PORT + ") and db ("
            + at + ":" + (INGRESS_PORT + 1) + ")");
        sleepS(5);
        if (congest) {
            congestion(c, webRack);
        }
        Map<String, Long> killedAt = new LinkedHashMap<>();
        String victim = c.snapshot().placements().get("web").primaryHost();
        kill(c, victim, killedAt);
        await(120, "every process VM back to its policy's shadow count", () -> counted(c, "web") == 1 && counted(c, "db") == 2);
        rec.say("now a real QEMU guest (TCG): VM vm, 1:1 standby; its first epochs carry the booted kernel's pages"
            + " across the uplinks");
        create(c, "vm", "qemu", ShadowPolicy.of(1, ShadowMode.STANDBY), 128, 1);
        qemuFailover(c, killedAt);
        sleepS(2);
        rec.stopPrinting();
        client.getOutputStream().close();
        client.waitFor(10, TimeUnit.SECONDS);
        reader.join(2_000);
        rec.finish(c.snapshot(), html, killedAt);
    }

    private void kill(Controller c, String host, Map<String, Long> killedAt) throws Exception {
        List<String> vms = c.snapshot().placements().values().stream().filter(p -> p.primaryHost().equals(host))
            .map(VmPlacement::vm).toList();
        rec.say("killing host " + host + " (SIGKILL to everything in its namespace: agent, guests, QEMU); primaries there: "
            + vms);
        killedAt.put(host, System.currentTimeMillis());
        cluster.killHost(host);
        await(120, "failover of " + vms, () -> vms.stream().allMatch(v -> failover(c, v, host) != null));
    }

    /** The QEMU guest: once in sync, its primary's host dies (unless it already did) and its shadow resumes it. */
    private void qemuFailover(Controller c, Map<String, Long> killedAt) throws Exception {
        if (!TestbedCluster.await(() -> inSync(c, "vm", 1) || failover(c, "vm", null) != null || lost(c, "vm"), 300_000)
            || lost(c, "vm")) {
            rec.say("the QEMU VM has no shadow in sync (" + c.snapshot().placements().get("vm").phase()
                + "; TCG on a busy machine?): no QEMU failover in this run");
            return;
        }
        if (failover(c, "vm", null) == null) {
            // in sync means acknowledging epochs; wait until it has caught up with the primary, so the kill tests
            // failover, not the catch-up after the guest's first epochs
            TestbedCluster.await(() -> {
                VmPlacement p = c.snapshot().placements().get("vm");
                return !p.shadows().isEmpty() && p.shadows().get(0).ackedEpoch() >= p.primaryEpoch() - 1;
            }, 60_000);
            VmPlacement vm = c.snapshot().placements().get("vm");
            String from = vm.shadows().get(0).host();
            String state = cluster.httpGet(from, "http://" + vm.serviceAddress() + "/cgi-bin/state").replace('\n', ' ');
            rec.say("QEMU VM on " + vm.primaryHost() + ", shadow on " + from + " at epoch "
                + vm.shadows().get(0).ackedEpoch() + "; guest says: " + state.strip());
            kill(c, vm.primaryHost(), killedAt);
        }
        VmPlacement now = c.snapshot().placements().get("vm");
        String from = cluster.hosts().keySet().stream().filter(h -> !killedAt.containsKey(h)
            && !now.serviceAddress().startsWith(cluster.hosts().get(h).address() + ":")).findFirst().orElseThrow();
        await(60, "the promoted QEMU guest answering", () -> !httpState(from, now.serviceAddress()).isEmpty());
        rec.say("promoted QEMU guest on " + now.primaryHost() + " answers: " + httpState(from, now.serviceAddress()));
    }

    private String httpState(String from, String address) {
        try {
            return cluster.httpGet(from, "http://" + address + "/cgi-bin/state").replace('\n', ' ').strip();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * The congestion phase: an iperf3 ramp from the spine into web's rack (10% of the uplink, +10% every 2 s, to
     * 120%, held, then 10%) queues at the uplink's tbf; the spine's switch monitor measures it, the controller
     * predicts and moves weights. Nothing here sets a score or a weight.
     */
    private void congestion(Controller c, String rack) throws Exception {
        String link = rack + "-spine";
        double[] ramp = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.2, 1.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
        double[] mbits = new double[ramp.length];
        for (int i = 0; i < ramp.length; i++) {
            mbits[i] = ramp[i] * uplinkMbit;
        }
        rec.say("congestion phase: iperf3 from the spine into rack " + rack + " through " + link + " (" + uplinkMbit
            + " Mbit/s tbf), where web's requests come in: 10% of capacity, +10% every 2 s to 120%, held 6 s, then 10%");
        cluster.loadRampToSpine(rack, mbits, 2);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(ramp.length * 2L + 20);
        double maxShare = 0;
        while (System.nanoTime() < end) {
            sleepS(1);
            ClusterSnapshot s = c.snapshot();
            double util = Double.NaN;
            for (PredictionView p : s.predictions()) {
                if (p.path().equals(link)) {
                    util = p.utilization();
                }
            }
            double share = DemoRecorder.shadowShare(s, "web");
            maxShare = Math.max(maxShare, share);
            rec.uplinkRow(link, cluster.offeredMbit() / uplinkMbit, util, util * uplinkMbit,
                DemoRecorder.score(s, link), share);
            rec.noteEpochs(s);
            if (cluster.offeredMbit() == 0 && maxShare > 0 && share < 0.005) {
                break;
            }
        }
        cluster.stopLoad();
        rec.say(maxShare > 0 ? String.format("congestion phase: up to %.0f%% of web's new connections went to its shadow",
            maxShare * 100) : "congestion phase: the weights did not move");
    }

    /** Reads the client's running totals ("ok N failed M") into the recorder. */
    private void readClient() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(" ");
                if (f.length == 4 && f[0].equals("ok")) {
                    rec.ok.set(Long.parseLong(f[1]));
                    rec.failed.set(Long.parseLong(f[3]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the client ended
        }
    }

    private static FailoverRecord failover(Controller c, String vm, String deadHost) {
        return c.snapshot().failovers().stream().filter(f -> f.vm().equals(vm)
            && (deadHost == null || f.deadHost().equals(deadHost))).findFirst().orElse(null);
    }

    private static boolean lost(Controller c, String vm) {
        VmPlacement p = c.snapshot().placements().get(vm);
        return p != null && p.phase() == VmPhase.LOST;
    }

    private static void sleepS(int s) throws InterruptedException {
        Thread.sleep(s * 1_000L);
    }
}
