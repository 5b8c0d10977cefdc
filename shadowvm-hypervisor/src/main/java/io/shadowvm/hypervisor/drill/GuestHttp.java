package io.shadowvm.hypervisor.drill;

import io.shadowvm.hypervisor.HypervisorException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Talks to the test guest's HTTP service through the host port QEMU forwards. Inside another network namespace
 * Java cannot connect itself, so the request runs through {@code ip netns exec NS curl} (busybox-static's wget
 * segfaults inside a namespace).
 */
public final class GuestHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String netns;
    private final int port;

    public GuestHttp(String netns, int port) {
        this.netns = netns;
        this.port = port;
    }

    /** GET {@code path}; returns the body, or throws after the timeout. */
    public String get(String path, Duration timeout) {
        String url = "http://127.0.0.1:" + port + path;
        try {
            if (netns == null) {
                HttpRequest r = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
                HttpResponse<String> resp = CLIENT.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (resp.statusCode() != 200) {
                    throw new HypervisorException("GET " + url + " answered " + resp.statusCode());
                }
                return resp.body();
            }
            Process p = new ProcessBuilder("ip", "netns", "exec", netns, "curl", "-sS", "-f", "-m",
                    Long.toString(Math.max(1, timeout.toSeconds())), url)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new HypervisorException("GET " + url + " in netns " + netns + " took more than " + timeout.toMillis() + " ms");
            }
            if (p.exitValue() != 0) {
                throw new HypervisorException("GET " + url + " in netns " + netns + " failed (curl exit " + p.exitValue() + ")");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HypervisorException("GET " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted during GET " + url, e);
        }
    }

    /** Polls {@code path} until it answers or {@code timeout} passes. */
    public String await(String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HypervisorException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return get(path, Duration.ofSeconds(2));
            } catch (HypervisorException e) {
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new HypervisorException("interrupted while waiting for " + path, ie);
                }
            }
        }
        throw new HypervisorException("guest HTTP " + path + " did not answer within " + timeout.toMillis() + " ms"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    /** Parses {@code key=value} lines. */
    public static Map<String, String> parse(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return m;
    }
}
