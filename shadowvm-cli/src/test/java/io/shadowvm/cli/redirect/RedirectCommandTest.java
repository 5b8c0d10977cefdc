package io.shadowvm.cli.redirect;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.cli.ShadowVm;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RedirectCommandTest {
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return ShadowVm.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void missingOptionsAreUsageErrors() {
        assertThat(run("redirect", "proxy", "--backend", "a=127.0.0.1:1", "--weights", "a=1")).isEqualTo(2);
        assertThat(err.toString()).contains("--listen");
    }

    @Test
    void badWeightsAndAddressesAreOneLineErrorsNamingTheValue() {
        assertThat(run("redirect", "proxy", "--listen", "127.0.0.1:0", "--backend", "a=127.0.0.1:1",
            "--weights", "a=-3")).isEqualTo(1);
        assertThat(err.toString().trim()).isEqualTo("shadowvm: invalid weight of a: -3.0 (expected: a finite number >= 0)");
        assertThat(run("redirect", "proxy", "--listen", "127.0.0.1:0", "--backend", "a=127.0.0.1:99999",
            "--weights", "a=1")).isEqualTo(1);
        assertThat(err.toString().trim()).isEqualTo("shadowvm: invalid port: 99999 in '127.0.0.1:99999' (expected: 0-65535)");
        assertThat(run("redirect", "proxy", "--listen", "127.0.0.1:0", "--backend", "a=127.0.0.1:1",
            "--weights", "b=1")).isEqualTo(1);
        assertThat(err.toString()).contains("unknown backend in weights: b");
    }

    @Test
    void nftDryRunPrintsTheTransaction() {
        assertThat(run("redirect", "nft", "--netns", "x", "--service", "10.0.9.9:80",
            "--backend", "p=10.0.0.2:8080,s=10.0.1.2:8080", "--weights", "p=3,s=1", "--dry-run")).isZero();
        assertThat(out.toString()).startsWith("table ip shadowvm_redirect\ndelete table ip shadowvm_redirect\n")
            .contains("numgen random mod 10000 map { 0-7499 : 10.0.0.2 . 8080, 7500-9999 : 10.0.1.2 . 8080 }");
    }

    @Test
    void proxyRelaysToTheWeightedBackendAndTheAdminEndpointChangesWeights() throws Exception {
        try (ServerSocket a = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> run("redirect", "proxy", "--listen", "127.0.0.1:0",
                "--backend", "a=127.0.0.1:" + a.getLocalPort() + ",b=127.0.0.1:" + b.getLocalPort(),
                "--weights", "a=1", "--admin", "127.0.0.1:0", "--duration", "20"));
            t.setDaemon(true);
            t.start();
            Matcher m = awaitListening();
            int port = Integer.parseInt(m.group(1));
            int adminPort = Integer.parseInt(m.group(2));
            try (Socket c = new Socket("127.0.0.1", port); Socket served = a.accept()) {
                served.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
                InputStream in = c.getInputStream();
                assertThat(new String(in.readNBytes(2), StandardCharsets.US_ASCII)).isEqualTo("hi");
            }
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                + "/weights")).PUT(HttpRequest.BodyPublishers.ofString("{\"b\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            try (Socket c = new Socket("127.0.0.1", port); Socket served = b.accept()) {
                assertThat(served.isConnected()).isTrue();
            }
            String stats = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                + "/stats")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(stats).startsWith("{\"backends\":{\"a\":{\"connections\":1,");
        }
    }

    private Matcher awaitListening() throws InterruptedException {
        Pattern p = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) .*admin on 127\\.0\\.0\\.1:(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(out.toString());
            if (m.find()) {
                return m;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        throw new AssertionError("proxy did not start: out=" + out + " err=" + err);
    }

    static InetSocketAddress any() {
        return new InetSocketAddress("127.0.0.1", 0);
    }
}
