package io.shadowvm.redirect.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.redirect.RelativeWeights;
import io.shadowvm.redirect.health.OutlierConfig;
import io.shadowvm.redirect.testing.HttpBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class L7RedirectorTest {
    static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);
    HttpBackend primary;
    HttpBackend shadow;
    HttpClient http;

    @BeforeEach
    void setUp() {
        primary = new HttpBackend("primary");
        shadow = new HttpBackend("shadow");
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
            .build();
    }

    @AfterEach
    void tearDown() {
        primary.close();
        shadow.close();
    }

    L7Config config(String weights) {
        return L7Config.of(ANY, List.of(primary.backend(), shadow.backend()), RelativeWeights.parse(weights))
            .withOutlier(OutlierConfig.defaults().withHealthChecks(0, 1_000_000_000L))
            .withIoThreads(2);
    }

    HttpResponse<String> send(L7Redirector proxy, String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + proxy.localAddress().getPort() + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        b = method.equals("GET") ? b.GET() : b.method(method, HttpRequest.BodyPublishers.ofString("data"));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Raw HTTP over one socket: writes {@code request}, returns the status line's code. */
    static int rawStatus(InetSocketAddress addr, byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(addr);
            s.getOutputStream().write(request);
            return statusOf(s.getInputStream());
        }
    }

    static int statusOf(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n' && c >= 0) {
            line.append((char) c);
        }
        String[] parts = line.toString().split(" ");
        return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
    }

    @Test
    void safeRequestsAreSplitByWeightAndTheResponseNamesTheBackend() throws Exception {
        try (L7Redirector proxy = L7Redirector.start(config("primary=70,shadow=30"))) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i < 1000; i++) {
                HttpResponse<String> r = send(proxy, "GET", "/item/" + i);
                assertThat(r.statusCode()).isEqualTo(200);
                String backend = r.headers().firstValue(L7Config.BACKEND_HEADER).orElseThrow();
                assertThat(r.body()).isEqualTo(backend + " GET /item/" + i);
                counts.merge(backend, 1, Integer::sum);
            }
            assertThat(counts.get("primary")).isBetween(690, 710);
            assertThat(proxy.stats().get("shadow").requests()).isEqualTo((long) counts.get("shadow"));
            // keep-alive: a thousand requests over a handful of backend connections
            assertThat(proxy.stats().get("primary").connections()).isLessThan(20);
        }
    }

    @Test
    void unsafeRequestsAlwaysGoToThePrimary() throws Exception {
        try (L7Redirector proxy = L7Redirector.start(config("primary=0,shadow=100"))) {
            assertThat(send(proxy, "GET", "/x").headers().firstValue(L7Config.BACKEND_HEADER)).hasValue("shadow");
            for (String m : List.of("POST", "PUT", "DELETE")) {
                HttpResponse<String> r = send(proxy, m, "/x");
                assertThat(r.headers().firstValue(L7Config.BACKEND_HEADER)).hasValue("primary");
                assertThat(r.body()).isEqualTo("primary " + m + " /x");
            }
        }
    }

    @Test
    void listedPathPrefixesAreSafeForAnyMethod() throws Exception {
        L7Config cfg = config("primary=0,shadow=1").withSafe(Set.of("GET"), List.of("/search/"));
        try (L7Redirector proxy = L7Redirector.start(cfg)) {
            assertThat(send(proxy, "POST", "/search/q").headers().firstValue(L7Config.BACKEND_HEADER))
                .hasValue("shadow");
            assertThat(send(proxy, "POST", "/orders").headers().firstValue(L7Config.BACKEND_HEADER))
                .hasValue("primary");
            assertThat(send(proxy, "HEAD", "/x").headers().firstValue(L7Config.BACKEND_HEADER))
                .hasValue("primary");
        }
    }

    @Test
    void oversizedHeadersBodiesAndRequestLinesGetClear4xx() throws Exception {
        try (L7Redirector proxy = L7Redirector.start(config("primary=1").withLimits(1024, 2048, 4096, 5000))) {
            InetSocketAddress a = proxy.localAddress();
            String bigHeader = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(4000) + "\r\n\r\n";
            assertThat(rawStatus(a, bigHeader.getBytes(StandardCharsets.US_ASCII))).isEqualTo(431);
            String bigBody = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n" + "b".repeat(10000);
            assertThat(rawStatus(a, bigBody.getBytes(StandardCharsets.US_ASCII))).isEqualTo(413);
            String longLine = "GET /" + "u".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            assertThat(rawStatus(a, longLine.getBytes(StandardCharsets.US_ASCII))).isEqualTo(414);
            assertThat(send(proxy, "GET", "/fine").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void slowlorisClientsGet408AndDoNotStallOthers() throws Exception {
        try (L7Redirector proxy = L7Redirector.start(config("primary=1,shadow=1").withLimits(4096, 8192, 1 << 20,
            1500))) {
            InetSocketAddress a = proxy.localAddress();
            List<Socket> slow = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket();
                s.setSoTimeout(10_000);
                s.connect(a);
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }
            // 200 ordinary requests are served while 20 clients sit on half-sent headers
            for (int i = 0; i < 200; i++) {
                assertThat(send(proxy, "GET", "/ok").statusCode()).isEqualTo(200);
            }
            // the slow headers never finished: every one of them gets 408, then the connection closes
            for (Socket s : slow) {
                assertThat(statusOf(s.getInputStream())).isEqualTo(408);
                s.close();
            }
        }
    }

    @Test
    void keepAliveClientsGetManyResponsesOnOneConnection() throws Exception {
        try (L7Redirector proxy = L7Redirector.start(config("primary=1,shadow=1"));
             Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(proxy.localAddress());
            InputStream in = s.getInputStream();
            for (int i = 0; i < 50; i++) {
                s.getOutputStream().write(("GET /k" + i + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
                assertThat(statusOf(in)).isEqualTo(200);
                int length = -1;
                String line;
                while (!(line = readLine(in)).isEmpty()) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                assertThat(new String(in.readNBytes(length), StandardCharsets.US_ASCII)).endsWith("GET /k" + i);
            }
        }
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n' && c >= 0) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
