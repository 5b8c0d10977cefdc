package io.shadowvm.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowvm.core.ShadowVmException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where peers' responders listen: parsed from {@code HOST:PORT} strings or a testbed status file. */
public final class PeerAddresses {
    private PeerAddresses() {
    }

    /** {@code host:port}, {@code [v6]:port} or {@code :port} (all addresses); names the bad value. */
    public static InetSocketAddress parseHostPort(String s, String what) {
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new ShadowVmException("invalid " + what + ": '" + s + "' (expected: HOST:PORT)");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ShadowVmException("invalid port in " + what + ": '" + s + "' (expected: 0-65535)");
        }
        if (port < 0 || port > 65_535) {
            throw new ShadowVmException("invalid port in " + what + ": " + port + " (expected: 0-65535)");
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /**
     * The hosts' addresses from a testbed status file ({@code testbed status --json}:
     * {@code {"hosts":[{"name":..,"address":..}, ...]}}), each with {@code port}.
     */
    public static Map<String, InetSocketAddress> fromTestbedStatus(Path file, int port) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ShadowVmException("cannot read addresses from " + file + ": " + e.getMessage(), e);
        }
        JsonNode hosts = root == null ? null : root.get("hosts");
        if (hosts == null || !hosts.isArray()) {
            throw new ShadowVmException(file + ": no \"hosts\" array (expected: the output of testbed status --json)");
        }
        Map<String, InetSocketAddress> out = new LinkedHashMap<>();
        for (JsonNode h : hosts) {
            JsonNode name = h.get("name");
            JsonNode address = h.get("address");
            if (name == null || address == null || !name.isTextual() || !address.isTextual()) {
                throw new ShadowVmException(file + ": host entry without name/address: " + h);
            }
            out.put(name.asText(), new InetSocketAddress(address.asText(), port));
        }
        return out;
    }
}
