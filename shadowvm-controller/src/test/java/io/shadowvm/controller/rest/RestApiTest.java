package io.shadowvm.controller.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.controller.Controller;
import io.shadowvm.controller.loop.LoopConfig;
import io.shadowvm.controller.store.Await;
import io.shadowvm.core.topology.TopologyGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over real HTTP on loopback: strict input, clear errors, read endpoints, metrics. */
class RestApiTest {
    @TempDir
    static Path dir;
    static Controller controller;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        controller = Controller.start(new Controller.Context()
            .topology(TopologyGenerator.generate(new TopologyGenerator.Spec(1, 2, 2, 1, false, 40, "dc1")))
            .dataDir(dir).grpcPort(0).httpPort(0).loop(LoopConfig.of(50, 100)));
        Await.until(Duration.ofSeconds(30), controller::isLeader);
    }

    @AfterAll
    static void stop() {
        controller.close();
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.httpPort() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnknownFieldIsA400NamingTheField() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/vms", "{\"name\":\"web\",\"shadowPolicy\":{\"shadows\":1,\"replicas\":2}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"field\":\"shadowPolicy.replicas\"").contains("unknown field 'shadowPolicy.replicas'");
    }

    @Test
    void aValueOutOfRangeIsA400NamingTheFieldAndTheBound() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/vms", "{\"name\":\"web\",\"vcpus\":0}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("vcpus: 0 (expected: 1..256)");
    }

    @Test
    void anUnknownQueryParameterIsA400() throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/events?since=3", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("unknown query parameter 'since' (expected: after, limit)");
    }

    @Test
    void aVmThatCannotBePlacedIsRefusedNamingTheVmAndTheReason() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/vms", "{\"name\":\"web\"}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("web: no live host for the primary");
        assertThat(send("GET", "/api/v1/vms/web", null).statusCode()).isEqualTo(404);
    }

    @Test
    void readEndpointsAnswerJsonAndMetricsArePrometheusText() throws Exception {
        HttpResponse<String> status = send("GET", "/api/v1/status", null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"leader\":true").contains("predictor: shadowvm-predict CongestionPredictor");
        assertThat(send("GET", "/api/v1/topology", null).body()).contains("\"p1r1-spine\"");
        for (String p : new String[] {"/api/v1/hosts", "/api/v1/vms", "/api/v1/shadows", "/api/v1/predictions",
            "/api/v1/weights", "/api/v1/failovers", "/api/v1/events"}) {
            HttpResponse<String> r = send("GET", p, null);
            assertThat(r.statusCode()).as(p).isEqualTo(200);
            assertThat(r.body()).as(p).startsWith("[");
        }
        HttpResponse<String> metrics = send("GET", "/metrics", null);
        assertThat(metrics.body()).contains("shadowvm_controller_leader 1.0").contains("shadowvm_vms 0.0");
        HttpResponse<String> missing = send("GET", "/api/v1/nothing", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no such resource");
    }
}
