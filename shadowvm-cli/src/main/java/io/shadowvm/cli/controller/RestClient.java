package io.shadowvm.cli.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowvm.api.Protocol;
import io.shadowvm.api.rest.ApiJson;
import io.shadowvm.core.ShadowVmException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of the controller's {@code /api/v1}; failures become one-line {@link ShadowVmException}s. */
public final class RestClient {
    public static final String DEFAULT_URL = "http://127.0.0.1:" + Protocol.DEFAULT_HTTP_PORT;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public RestClient(String controllerUrl) {
        String u = controllerUrl.endsWith("/") ? controllerUrl.substring(0, controllerUrl.length() - 1) : controllerUrl;
        if (!u.startsWith("http://") && !u.startsWith("https://")) {
            throw new ShadowVmException("--controller: '" + controllerUrl + "' (expected: http://host:port)");
        }
        this.base = u;
    }

    public String get(String path) {
        return send("GET", path, null);
    }

    public String post(String path, String json) {
        return send("POST", path, json);
    }

    public String delete(String path) {
        return send("DELETE", path, null);
    }

    public <T> T get(String path, Class<T> type) {
        try {
            return ApiJson.mapper().readValue(get(path), type);
        } catch (IOException e) {
            throw new ShadowVmException("unexpected answer from " + base + Protocol.API_PREFIX + path + ": " + e.getMessage());
        }
    }

    public JsonNode tree(String path) {
        try {
            return ApiJson.mapper().readTree(get(path));
        } catch (IOException e) {
            throw new ShadowVmException("unexpected answer from " + base + Protocol.API_PREFIX + path + ": " + e.getMessage());
        }
    }

    private String send(String method, String path, String body) {
        String url = base + Protocol.API_PREFIX + path;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ShadowVmException("cannot reach the controller at " + base + " (is 'shadowvm controller' running?)");
        } catch (IOException e) {
            throw new ShadowVmException("request to " + url + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShadowVmException("interrupted while calling " + url);
        }
        if (r.statusCode() / 100 != 2) {
            String msg = r.body();
            try {
                JsonNode n = ApiJson.mapper().readTree(r.body());
                if (n.hasNonNull("error")) {
                    msg = n.get("error").asText();
                }
            } catch (IOException ignored) {
                // not JSON: show it as it is
            }
            throw new ShadowVmException(msg + " (HTTP " + r.statusCode() + ")");
        }
        return r.body();
    }
}
