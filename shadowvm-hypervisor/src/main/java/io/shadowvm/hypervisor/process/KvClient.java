package io.shadowvm.hypervisor.process;

import io.shadowvm.hypervisor.HypervisorException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A line client for {@link KvGuestMain} (one request per call, a fresh connection each time). */
public final class KvClient {
    private final int port;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;

    public KvClient(int port) {
        this(port, 3_000, 10_000);
    }

    /** A client that gives up on connecting after {@code connectTimeoutMs} and on an answer after {@code readTimeoutMs}. */
    public KvClient(int port, int connectTimeoutMs, int readTimeoutMs) {
        this.port = port;
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
    }

    public String call(String request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), connectTimeoutMs);
            s.setSoTimeout(readTimeoutMs);
            OutputStream out = s.getOutputStream();
            out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new HypervisorException("process guest on port " + port + " closed without answering " + request);
            }
            return line;
        } catch (IOException e) {
            throw new HypervisorException("process guest on port " + port + " failed on '" + request + "': " + e.getMessage(), e);
        }
    }

    /** {@code STATE} parsed into a map. */
    public Map<String, String> state() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : call("STATE").split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }
}
