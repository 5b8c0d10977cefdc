package io.shadowvm.cli.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.api.rest.Views.PredictionView;
import io.shadowvm.api.rest.Views.WeightsView;
import io.shadowvm.controller.failure.PhiConfig;
import io.shadowvm.controller.loop.ClusterSnapshot;
import io.shadowvm.controller.loop.Inbound;
import io.shadowvm.controller.loop.LoopConfig;
import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.ShadowState;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operational flow on the namespace testbed, for real (root): agents are child JVMs in their host
 * namespaces, sync and client traffic cross tbf-limited uplinks, the spine's switch monitor reports the
 * uplinks; place → sync → predict → redirect on a congested uplink → kill the primary's host → promote on
 * the shadow host → re-shadow, asserting each step's effect.
 */
class TestbedEndToEndTest {
    private static final String PREFIX = "svtbe-";
    private static final int INGRESS_PORT = 18_000;

    @TempDir
    static Path tmp;
    private static TestbedCluster cluster;
    private static final java.util.Set<String> killed = new java.util.HashSet<>();
    private static int requests;
    private static int emptyReplies;

    @BeforeAll
    static void start() {
        String why = TestbedPrerequisites.missing();
        if (why != null) {
            System.out.println("TestbedEndToEndTest skipped: " + why);
            Assumptions.assumeTrue(false, why);
        }
        cluster = TestbedCluster.start(new TestbedCluster.Options(PREFIX, 2, 3, 5, 50, tmp, null, null, 200,
            new LoopConfig(500, 100, 500, 2_000, 5_000, 1_000,
                // a killed host's socket closes and it is dead within about a second; a host that is silent with its
                // connection up (agent JVMs and a TCG guest starting stall this 2-core box) gets 8 s more
                new PhiConfig(100, 200, 500, 100, 3, 8, 8_000)),
            List.of("--ingress", "--ingress-port", String.valueOf(INGRESS_PORT))), 180_000);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldReplicateRedirectAroundACongestedUplinkAndPromoteOnTheShadowHostWhenThePrimaryHostDies() throws Exception {
        create("web", "process", ShadowPolicy.of(1, ShadowMode.SERVING));
        assertThat(TestbedCluster.await(() -> inSync("web", 1, 5), 120_000))
            .as("web's shadow acknowledges epochs across the testbed within 120 s: %s; events %s", placement("web"),
                events()).isTrue();
        VmPlacement web = placement("web");
        String primaryRack = rackOf(web.primaryHost());
        String shadowHost = web.shadows().get(0).host();
        String edge = otherHostIn(rackOf(shadowHost), shadowHost);

        // client traffic through the ingress of a host outside the primary's rack
        String ingress = cluster.hosts().get(edge).address() + ":" + INGRESS_PORT;
        assertThat(TestbedCluster.await(() -> kv(edge, ingress, "SET a 1").equals("OK"), 60_000))
            .as("web answers through the ingress on %s", edge).isTrue();

        // predict + redirect: bulk load from the spine into the primary's rack congests only that rack's uplink, in
        // the direction requests come in (its outbound direction, which carries replication, stays free)
        cluster.loadToSpine(primaryRack, 40);
        String uplink = primaryRack + "-spine";
        assertThat(TestbedCluster.await(() -> prediction(uplink) != null && prediction(uplink).score() >= 0.5, 60_000))
            .as("congestion predicted on %s: %s", uplink, prediction(uplink)).isTrue();
        assertThat(TestbedCluster.await(() -> shadowWeight("web", shadowHost) > 0.5, 60_000))
            .as("weights move to the serving shadow on %s: %s; predictions %s; events %s", shadowHost, weights("web"),
                cluster.snapshot().predictions(), events()).isTrue();
        cluster.stopLoad();
        assertThat(TestbedCluster.await(() -> shadowWeight("web", shadowHost) < 0.01, 90_000))
            .as("weights return to the primary after the load: %s", weights("web")).isTrue();

        // failover: the primary's host dies; the shadow on the other rack is promoted and keeps the data
        assertThat(TestbedCluster.await(() -> kv(edge, ingress, "SET b 2").equals("OK"), 15_000))
            .as("a write through the ingress after the weights returned").isTrue();
        long writtenAt = placement("web").primaryEpoch();
        assertThat(TestbedCluster.await(() -> placement("web").shadows().get(0).ackedEpoch() > writtenAt + 1, 30_000))
            .isTrue();
        killed.add(web.primaryHost());
        cluster.killHost(web.primaryHost());
        assertThat(TestbedCluster.await(() -> failover("web") != null, 60_000))
            .as("failover of web recorded: %s; events %s", cluster.snapshot().failovers(), events()).isTrue();
        FailoverRecord f = failover("web");
        assertThat(f.deadHost()).isEqualTo(web.primaryHost());
        assertThat(f.promotedHost()).isEqualTo(shadowHost);
        assertThat(f.rpoEpochs()).isLessThanOrEqualTo(1);
        assertThat(TestbedCluster.await(() -> kv(edge, ingress, "GET b").equals("VALUE 2"), 30_000))
            .as("the promoted shadow serves the write acknowledged before the host died").isTrue();
        assertThat(TestbedCluster.await(() -> kv(edge, ingress, "GET a").equals("VALUE 1"), 15_000)).isTrue();
        System.out.println("TestbedEndToEndTest: " + emptyReplies + " of " + requests
            + " requests through the ingress got no answer (each retried); failover " + f);
        // re-shadow: a new shadow on a surviving host of the other rack
        assertThat(TestbedCluster.await(() -> placement("web").shadows().stream()
            .anyMatch(s -> !s.host().equals(web.primaryHost()) && s.state() == ShadowState.IN_SYNC), 120_000))
            .as("web has a shadow in sync again: %s", placement("web")).isTrue();
        qemuGuestIsPromotedOnItsShadowHostAndContinues();
    }

    /** A QEMU VM: once in sync, its primary's host dies and its shadow host resumes the guest. */
    private void qemuGuestIsPromotedOnItsShadowHostAndContinues() throws Exception {
        // created only now: its first epochs (the booted kernel's pages) fill the 5 Mbit/s uplinks for a while,
        // which would congest both the primary's and the shadow's paths during the redirect phase above
        create("vm", "qemu", ShadowPolicy.of(1, ShadowMode.STANDBY));
        assertThat(TestbedCluster.await(() -> inSync("vm", 1, 3), 300_000))
            .as("the QEMU VM boots (TCG) and its shadow acknowledges epochs: %s; events %s", placement("vm"), events())
            .isTrue();
        VmPlacement vm = placement("vm");
        String shadowHost = vm.shadows().get(0).host();
        String client = otherHostIn(rackOf(shadowHost), shadowHost);
        String url = "http://" + vm.serviceAddress();
        assertThat(cluster.httpGet(client, url + "/cgi-bin/kv?shadowvm=42")).contains("shadowvm=42");
        String bootId = field(cluster.httpGet(client, url + "/cgi-bin/state"), "boot_id");
        long writtenAt = placement("vm").primaryEpoch();
        assertThat(TestbedCluster.await(() -> placement("vm").shadows().get(0).ackedEpoch() > writtenAt + 1, 60_000))
            .as("the shadow acknowledges an epoch after the write: %s", placement("vm")).isTrue();
        killed.add(vm.primaryHost());
        cluster.killHost(vm.primaryHost());
        assertThat(TestbedCluster.await(() -> failover("vm") != null, 120_000))
            .as("failover of the QEMU VM recorded: %s; events %s", cluster.snapshot().failovers(), events()).isTrue();
        FailoverRecord f = failover("vm");
        assertThat(f.promotedHost()).isEqualTo(shadowHost);
        assertThat(f.rpoEpochs()).isLessThanOrEqualTo(1);
        assertGuestAnswers(placement("vm").serviceAddress(), client, bootId);
        System.out.println("TestbedEndToEndTest: QEMU failover " + f);
    }

    /** The guest at {@code address} answers from {@code from} with the key written before, and keeps running. */
    private void assertGuestAnswers(String address, String from, String bootId) throws Exception {
        String url = "http://" + address;
        assertThat(TestbedCluster.await(() -> kvGet(from, url).contains("shadowvm=42"), 60_000))
            .as("the promoted guest serves the key written before its host died").isTrue();
        String before = cluster.httpGet(from, url + "/cgi-bin/state");
        assertThat(field(before, "boot_id")).as("same boot: the guest resumed, it did not reboot").isEqualTo(bootId);
        long hb = Long.parseLong(field(before, "heartbeat"));
        assertThat(TestbedCluster.await(() -> heartbeat(from, url) > hb, 30_000))
            .as("the promoted guest keeps running (heartbeat past %d)", hb).isTrue();
    }

    private static String kvGet(String from, String url) {
        try {
            return cluster.httpGet(from, url + "/cgi-bin/kv?shadowvm");
        } catch (Exception e) {
            return "";
        }
    }

    private static long heartbeat(String from, String url) {
        try {
            String v = field(cluster.httpGet(from, url + "/cgi-bin/state"), "heartbeat");
            return v.isEmpty() ? -1 : Long.parseLong(v);
        } catch (Exception e) {
            return -1;
        }
    }

    private static String field(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).strip();
            }
        }
        return "";
    }

    /** One line request to a process guest (through the ingress) from inside {@code from}'s namespace. */
    private static String kv(String from, String address, String line) {
        requests++;
        String reply;
        try {
            reply = cluster.lineRequest(from, address, line);
        } catch (Exception e) {
            reply = "";
        }
        if (reply.isEmpty()) {
            emptyReplies++;
        }
        return reply;
    }

    private static void create(String name, String guest, ShadowPolicy policy) throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        cluster.controller().offer(new Inbound.CreateVm(new VmDesired(new VmSpec(name, 1, 128, 1, policy, List.of()),
            guest, System.currentTimeMillis()), done));
        assertThat(done.get(30, TimeUnit.SECONDS)).isNotNull();
    }

    private static String events() {
        List<io.shadowvm.api.rest.Views.EventView> all = cluster.controller().events().since(0, 100_000).stream()
            .filter(e -> !e.message().contains("controller stalled")).toList();
        return all.subList(Math.max(0, all.size() - 120), all.size()).toString().replace("EventView", "\n");
    }

    private static VmPlacement placement(String vm) {
        return cluster.snapshot().placements().get(vm);
    }

    private static boolean inSync(String vm, int shadows, long minEpoch) {
        VmPlacement p = placement(vm);
        return p != null && p.shadows().size() == shadows && p.shadows().stream()
            .allMatch(s -> s.state() == ShadowState.IN_SYNC && s.ackedEpoch() >= minEpoch);
    }

    private static String rackOf(String host) {
        return cluster.hosts().get(host).rack();
    }

    private static String otherHostIn(String rack, String not) {
        return cluster.hosts().values().stream().filter(h -> h.rack().equals(rack) && !h.name().equals(not)
                && !killed.contains(h.name()))
            .findFirst().orElseThrow().name();
    }

    private static PredictionView prediction(String link) {
        return cluster.snapshot().predictions().stream().filter(p -> p.path().equals(link)).findFirst().orElse(null);
    }

    private static WeightsView weights(String vm) {
        return cluster.snapshot().weights().get(vm);
    }

    private static double shadowWeight(String vm, String host) {
        WeightsView w = weights(vm);
        return w == null ? 0 : w.backends().stream().filter(b -> b.host().equals(host)).mapToDouble(b -> b.weight())
            .sum();
    }

    private static FailoverRecord failover(String vm) {
        ClusterSnapshot s = cluster.snapshot();
        return s.failovers().stream().filter(f -> f.vm().equals(vm)).findFirst().orElse(null);
    }
}
