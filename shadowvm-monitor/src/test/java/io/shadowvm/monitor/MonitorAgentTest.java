package io.shadowvm.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyLoader;
import io.shadowvm.monitor.export.TelemetryBatch;
import io.shadowvm.monitor.export.TelemetryCodec;
import io.shadowvm.monitor.export.TelemetryMetric;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorAgentTest {
    static final String YAML = """
        datacenter: lo
        pods:
          - name: p1
            racks:
              - name: r1
                uplinkGbps: 1
                hosts:
                  - {name: r1h1, cores: 2, memoryMib: 1024, nicGbps: 10}
              - name: r2
                uplinkGbps: 1
                hosts:
                  - {name: r2h1, cores: 2, memoryMib: 1024, nicGbps: 10}
        """;
    private final Topology topology = TopologyLoader.parse(YAML, "lo.yaml");

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean await(BooleanSupplier cond, long maxMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(5_000_000);
        }
        return true;
    }

    @Test
    void shouldStreamProbeSamplesExportMetricsAndBatchTelemetryBetweenTwoAgents() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        InetSocketAddress a1 = new InetSocketAddress(lo, freePort());
        InetSocketAddress a2 = new InetSocketAddress(lo, freePort());
        StringWriter json = new StringWriter();
        MonitorContext c1 = new MonitorContext().topology(topology).host("r1h1").listen(a1).peerAddress("r2h1", a2)
            .intervalMs(50).batchIntervalMs(100).counters(false).jsonLines(json)
            .metricsListen(new InetSocketAddress(lo, 0)).conclude();
        MonitorContext c2 = new MonitorContext().topology(topology).host("r2h1").listen(a2).peerAddress("r1h1", a1)
            .intervalMs(50).counters(false).conclude();
        try (MonitorAgent m2 = MonitorAgent.start(c2); MonitorAgent m1 = MonitorAgent.start(c1)) {
            assertThat(m1.plan().size()).isEqualTo(1);
            assertThat(await(() -> json.toString().contains("\"metric\":\"rtt_ms\",\"src\":\"r1h1\",\"dst\":\"r2h1\"")
                && json.toString().contains("\"metric\":\"udp_rtt_ms\""), 10_000)).as(json.toString()).isTrue();

            List<TelemetryBatch> batches = new ArrayList<>();
            assertThat(await(() -> {
                TelemetryBatch b = m1.pollBatch();
                if (b != null) {
                    batches.add(b);
                }
                return batches.stream().anyMatch(x -> hasMetric(x, TelemetryMetric.RTT_MS));
            }, 10_000)).isTrue();
            TelemetryBatch b = batches.get(batches.size() - 1);
            assertThat(TelemetryCodec.decode(TelemetryCodec.encode(b))).isEqualTo(b);
            assertThat(b.source()).isEqualTo("r1h1");

            HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + m1.metricsAddress().getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("shadowvm_probe_last_ms{dst=\"r2h1\",probe=\"tcp_rtt\",src=\"r1h1\"}");
            assertThat(m1.errorCount()).isZero();
        }
        for (String line : json.toString().split("\n")) {
            assertThat(line).matches("\\{\"ts\":\\d{13},\"metric\":\"[a-z_]+\",\"src\":\"r1h1\",\"dst\":\"r2h1\","
                + "\"value\":-?[0-9]+(\\.[0-9]+)?}");
        }
    }

    private static boolean hasMetric(TelemetryBatch b, TelemetryMetric m) {
        for (int i = 0; i < b.size(); i++) {
            if (b.metric(i) == m) {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldProbeEveryOtherPlacementGivenOnTheCommandLine(@TempDir Path dir) throws IOException {
        Path topo = dir.resolve("t.yaml");
        Files.writeString(topo, YAML);
        MonitorOptions o = MonitorOptions.parse(new String[] {"--topology", topo.toString(), "--host", "r1h1",
            "--placements", "r1h1,r2h1", "--peer-address", "r2h1=127.0.0.1:9", "--no-counters", "--listen",
            "127.0.0.1:0"});
        MonitorContext ctx = o.toContext(null);
        assertThat(ctx.placements().cardinality()).isEqualTo(2);
        try (MonitorAgent agent = MonitorAgent.start(ctx)) {
            int at = agent.plan().indexOf(topology.host("r2h1").index());
            assertThat(at).isNotNegative();
            assertThat(agent.plan().reason(at)).isEqualTo(io.shadowvm.monitor.probe.ProbePlan.Reason.PLACEMENT);
            assertThat(agent.plan().intervalMs(at)).isLessThanOrEqualTo(10_000);
        }
    }

    @Test
    void shouldNameAPeerWithoutAnAddress() {
        MonitorContext c = new MonitorContext().topology(topology).host("r1h1").counters(false).conclude();
        assertThatThrownBy(() -> MonitorAgent.start(c)).isInstanceOf(ShadowVmException.class)
            .hasMessageContaining("no address for peer r2h1");
    }

    @Test
    void shouldReadPeerAddressesFromATestbedStatusFile(@TempDir Path dir) throws IOException {
        Path status = dir.resolve("status.json");
        Files.writeString(status, "{\"topology\":\"t.yaml\",\"hosts\":[{\"name\":\"r1h1\",\"rack\":\"r1\","
            + "\"netns\":\"svtb-h-r1h1\",\"address\":\"10.77.1.11\"}],\"uplinks\":[{\"rack\":\"r1\",\"mbit\":5}]}");
        assertThat(PeerAddresses.fromTestbedStatus(status, 7700).get("r1h1"))
            .isEqualTo(new InetSocketAddress("10.77.1.11", 7700));
    }

    @Test
    void shouldRejectBadOptionsNamingTheValueAndBound() {
        assertThatThrownBy(() -> MonitorOptions.parse(new String[] {"--interval-ms", "5"}))
            .hasMessage("invalid --interval-ms: 5 (expected: 10-3600000)");
        assertThatThrownBy(() -> MonitorOptions.parse(new String[] {"--bogus", "1"}))
            .hasMessage("unknown option: --bogus");
        assertThatThrownBy(() -> PeerAddresses.parseHostPort("h:99999", "--listen"))
            .hasMessage("invalid port in --listen: 99999 (expected: 0-65535)");
        assertThatThrownBy(() -> new MonitorContext().topology(topology).host("nope").conclude())
            .hasMessageContaining("no host named 'nope'");
    }
}
