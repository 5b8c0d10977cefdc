package io.shadowvm.monitor;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.topology.TopologyLoader;
import io.shadowvm.monitor.probe.ProbeSettings;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's command-line options as plain fields, shared by {@link MonitorMain} (the child-process entry
 * the testbed test starts inside a namespace) and the CLI's {@code shadowvm monitor}; {@link #toContext}
 * turns them into a concluded {@link MonitorContext}.
 */
public final class MonitorOptions {
    public static final int DEFAULT_PORT = 7_700;

    public Path topology;
    public String host;
    public boolean switchMode;
    public String name;
    public String listen;
    public int port = DEFAULT_PORT;
    public Path addresses;
    public final Map<String, String> peerAddresses = new LinkedHashMap<>();
    public List<String> peers;
    /** Potential placements (the controller's list): every pair of them is probed within the pair bound. */
    public List<String> placements;
    public long intervalMs;
    public long timeoutMs = 1_000;
    public int payloadBytes = ProbeSettings.DEFAULT.payloadBytes();
    public long reconnectMs = 30_000;
    public long counterTickMs = 1_000;
    public final Map<String, String> interfaceLinks = new LinkedHashMap<>();
    public boolean noProbes;
    public boolean noCounters;
    public String metricsListen;
    public long durationMs;
    /** Stop when stdin reaches end of file: a child agent then dies with the process that started it. */
    public boolean exitOnStdinEof;

    public MonitorContext toContext(Writer jsonLines) {
        if (topology == null) {
            throw new ShadowVmException("no topology given (expected: --topology FILE)");
        }
        MonitorContext ctx = new MonitorContext().topology(TopologyLoader.load(topology)).host(host)
            .switchMode(switchMode).agentName(name != null ? name : host)
            .probing(!noProbes).counters(!noCounters).intervalMs(intervalMs).counterTickMs(counterTickMs)
            .peers(peers).jsonLines(jsonLines)
            .probeSettings(ProbeSettings.DEFAULT.withTimeoutMs(timeoutMs).withPayloadBytes(payloadBytes)
                .withReconnectIntervalMs(reconnectMs));
        if (placements != null) {
            java.util.BitSet set = new java.util.BitSet();
            for (String p : placements) {
                set.set(ctx.topology().host(p).index());
            }
            ctx.placements(set);
        }
        if (host != null && !noProbes) {
            ctx.listen(listen != null ? PeerAddresses.parseHostPort(listen, "--listen") : new InetSocketAddress(port));
        }
        if (addresses != null) {
            PeerAddresses.fromTestbedStatus(addresses, port).forEach(ctx::peerAddress);
        }
        peerAddresses.forEach((h, a) -> ctx.peerAddress(h, PeerAddresses.parseHostPort(a, "--peer-address " + h)));
        interfaceLinks.forEach(ctx::interfaceLink);
        if (metricsListen != null) {
            ctx.metricsListen(PeerAddresses.parseHostPort(metricsListen, "--metrics-listen"));
        }
        if (switchMode && ctx.agentName() == null) {
            throw new ShadowVmException("a switch-mode agent without --host needs --name (e.g. tor-r1)");
        }
        return ctx.conclude();
    }

    /** Parses {@code --key value} arguments (the names of the CLI's options); names the bad argument. */
    public static MonitorOptions parse(String[] args) {
        MonitorOptions o = new MonitorOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--switch" -> o.switchMode = true;
                case "--no-probes" -> o.noProbes = true;
                case "--no-counters" -> o.noCounters = true;
                case "--exit-on-stdin-eof" -> o.exitOnStdinEof = true;
                case "--json-lines" -> {
                    // always on for MonitorMain
                }
                default -> {
                    if (i + 1 >= args.length) {
                        throw new ShadowVmException("missing value after " + a);
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--topology" -> o.topology = Path.of(v);
                        case "--host" -> o.host = v;
                        case "--name" -> o.name = v;
                        case "--listen" -> o.listen = v;
                        case "--port" -> o.port = (int) number(a, v, 0, 65_535);
                        case "--addresses" -> o.addresses = Path.of(v);
                        case "--peer-address" -> {
                            int eq = v.indexOf('=');
                            if (eq <= 0) {
                                throw new ShadowVmException("invalid --peer-address: '" + v + "' (expected: NAME=HOST:PORT)");
                            }
                            o.peerAddresses.put(v.substring(0, eq), v.substring(eq + 1));
                        }
                        case "--peers" -> o.peers = new ArrayList<>(List.of(v.split(",")));
                        case "--placements" -> o.placements = new ArrayList<>(List.of(v.split(",")));
                        case "--interval-ms" -> o.intervalMs = number(a, v, 10, 3_600_000);
                        case "--timeout-ms" -> o.timeoutMs = number(a, v, 1, 60_000);
                        case "--payload-bytes" -> o.payloadBytes = (int) number(a, v, 44, 65_507);
                        case "--reconnect-ms" -> o.reconnectMs = number(a, v, 0, 3_600_000);
                        case "--counter-tick-ms" -> o.counterTickMs = number(a, v, 10, 60_000);
                        case "--iface" -> {
                            int eq = v.indexOf('=');
                            if (eq <= 0) {
                                throw new ShadowVmException("invalid --iface: '" + v + "' (expected: IFACE=LINK)");
                            }
                            o.interfaceLinks.put(v.substring(0, eq), v.substring(eq + 1));
                        }
                        case "--metrics-listen" -> o.metricsListen = v;
                        case "--duration-ms" -> o.durationMs = number(a, v, 0, Long.MAX_VALUE);
                        default -> throw new ShadowVmException("unknown option: " + a);
                    }
                }
            }
        }
        return o;
    }

    private static long number(String option, String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ShadowVmException("invalid " + option + ": '" + v + "' (expected: a number " + min + "-" + max + ")");
        }
        if (n < min || n > max) {
            throw new ShadowVmException("invalid " + option + ": " + n + " (expected: " + min + "-" + max + ")");
        }
        return n;
    }
}
