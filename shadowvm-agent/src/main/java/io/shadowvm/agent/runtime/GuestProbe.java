package io.shadowvm.agent.runtime;

import io.shadowvm.core.ShadowVmException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits until a guest's HTTP service answers at {@code host:port} (its forwarded port), with a bounded timeout. */
final class GuestProbe {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final long RETRY_NS = 100_000_000L;

    private GuestProbe() {
    }

    /** One GET; returns the body of a 200 answer. */
    static String get(String address, String path, Duration timeout) {
        URI uri = URI.create("http://" + address + path);
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != 200) {
                throw new ShadowVmException("GET " + uri + " answered " + r.statusCode() + " (expected: 200)");
            }
            return r.body();
        } catch (IOException e) {
            throw new ShadowVmException("GET " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShadowVmException("interrupted during GET " + uri, e);
        }
    }

    /** Polls until {@code path} answers, {@code alive} turns false, or {@code timeout} passes. */
    static String await(String address, String path, Duration timeout, BooleanSupplier alive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ShadowVmException last = null;
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new ShadowVmException("the guest exited before http://" + address + path + " answered");
            }
            try {
                return get(address, path, Duration.ofSeconds(2));
            } catch (ShadowVmException e) {
                last = e;
                LockSupport.parkNanos(RETRY_NS);
            }
        }
        throw new ShadowVmException("http://" + address + path + " did not answer within " + timeout.toMillis() + " ms"
            + (last == null ? "" : " (last: " + last.getMessage() + ")"));
    }
}
