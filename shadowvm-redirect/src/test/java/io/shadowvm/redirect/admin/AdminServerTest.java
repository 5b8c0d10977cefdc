package io.shadowvm.redirect.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowvm.redirect.RelativeWeights;
import io.shadowvm.redirect.health.OutlierConfig;
import io.shadowvm.redirect.l4.L4Config;
import io.shadowvm.redirect.l4.L4Redirector;
import io.shadowvm.redirect.testing.Client;
import io.shadowvm.redirect.testing.EchoBackend;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminServerTest {
    static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> call(AdminServer admin, String method, String path, String body) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + admin.localAddress().getPort() + path);
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
        return http.send(HttpRequest.newBuilder(uri).method(method, p).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void putWeightsMovesNewConnectionsAndStatsReportTheExactDocument() throws Exception {
        try (EchoBackend a = new EchoBackend("a"); EchoBackend b = new EchoBackend("b");
             L4Redirector proxy = L4Redirector.start(L4Config.of(ANY, List.of(a.backend(), b.backend()),
                 RelativeWeights.parse("a=1")).withOutlier(OutlierConfig.defaults().withHealthChecks(0, 1)));
             AdminServer admin = AdminServer.start(ANY, proxy)) {
            try (Client c = new Client(proxy.localAddress())) {
                assertThat(c.backend()).isEqualTo("a");
                assertThat(c.echo("12345")).isEqualTo("12345");
            }
            HttpResponse<String> put = call(admin, "PUT", "/weights", "{\"a\":0,\"b\":2.5}");
            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(put.body().trim()).isEqualTo("{\"weights\":{\"a\":0.0,\"b\":1.0}}");
            try (Client c = new Client(proxy.localAddress())) {
                assertThat(c.backend()).isEqualTo("b");
            }
            HttpResponse<String> stats = call(admin, "GET", "/stats", null);
            assertThat(stats.statusCode()).isEqualTo(200);
            JsonNode s = new ObjectMapper().readTree(stats.body());
            assertThat(s.fieldNames()).toIterable().containsExactly("backends");
            assertThat(s.get("backends").fieldNames()).toIterable().containsExactly("a", "b");
            assertThat(s.get("backends").get("a").fieldNames()).toIterable()
                .containsExactly("connections", "active", "bytes", "requests");
            assertThat(s.get("backends").get("a").get("connections").asLong()).isEqualTo(1);
            // "a\n" greeting + 5 bytes each way, + "bye" once the client's close has reached the backend
            assertThat(s.get("backends").get("a").get("bytes").asLong()).isBetween(12L, 15L);
            assertThat(s.get("backends").get("b").get("connections").asLong()).isEqualTo(1);
        }
    }

    @Test
    void badWeightsAreRejectedWithA400ThatNamesTheProblemAndChangeNothing() throws Exception {
        try (EchoBackend a = new EchoBackend("a");
             L4Redirector proxy = L4Redirector.start(L4Config.of(ANY, List.of(a.backend()),
                 RelativeWeights.parse("a=1")).withOutlier(OutlierConfig.defaults().withHealthChecks(0, 1)));
             AdminServer admin = AdminServer.start(ANY, proxy)) {
            assertThat(call(admin, "PUT", "/weights", "{\"a\":-1}").body()).contains("invalid weight of a: -1.0");
            assertThat(call(admin, "PUT", "/weights", "{\"zz\":1}").body()).contains("unknown backend in weights: zz");
            assertThat(call(admin, "PUT", "/weights", "{\"a\":0}").body()).contains("all zero");
            assertThat(call(admin, "PUT", "/weights", "[1]").statusCode()).isEqualTo(400);
            assertThat(call(admin, "PUT", "/weights", "{\"a\":\"x\"}").statusCode()).isEqualTo(400);
            assertThat(call(admin, "GET", "/nope", null).statusCode()).isEqualTo(404);
            assertThat(call(admin, "DELETE", "/weights", null).statusCode()).isEqualTo(405);
            assertThat(proxy.weights()).containsEntry("a", 1.0);
        }
    }
}
