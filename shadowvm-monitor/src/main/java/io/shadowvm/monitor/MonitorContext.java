package io.shadowvm.monitor;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.monitor.counters.InterfaceCounters;
import io.shadowvm.monitor.probe.ProbePolicy;
import io.shadowvm.monitor.probe.ProbeSettings;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration of one {@link MonitorAgent}, Agrona-style: set fields, then {@link #conclude()} validates
 * them once and fills defaults. Defaults sit next to their fields.
 */
public final class MonitorContext {
    private Topology topology;
    /** The host this agent runs on; may be absent in switch mode (a ToR or spine namespace). */
    private String host;
    /** Name in samples and batches when there is no host, e.g. {@code tor-r1}. */
    private String agentName;
    /** Where the probe responder listens (TCP and UDP); {@code null}: no responder. */
    private InetSocketAddress listen;
    private final Map<String, InetSocketAddress> peerAddresses = new LinkedHashMap<>();
    private ProbePolicy policy = ProbePolicy.DEFAULT;
    private ProbeSettings probeSettings = ProbeSettings.DEFAULT;
    private BitSet placements = new BitSet();
    /** Only these peers ({@code --peers}); {@code null}: the planned list. */
    private List<String> peers;
    /** Every probe interval set to this (0: as planned). */
    private long intervalMs;
    private boolean probing = true;
    private boolean counters = true;
    private boolean switchMode;
    private Path sysNet = InterfaceCounters.SYS_CLASS_NET;
    private final Map<String, String> interfaceLinks = new LinkedHashMap<>();
    private long counterTickMs = 1_000;
    private long batchIntervalMs = 1_000;
    private int batchMaxSamples = 65_536;
    /** Prometheus {@code /metrics}; {@code null}: not served. */
    private InetSocketAddress metricsListen;
    /** JSON lines go here; {@code null}: none. */
    private Writer jsonLines;
    private NanoClock nanoClock = NanoClock.SYSTEM;
    private EpochClock epochClock = EpochClock.SYSTEM;
    private boolean concluded;

    public MonitorContext conclude() {
        if (topology == null) {
            throw new ShadowVmException("no topology given (expected: --topology FILE)");
        }
        if (host != null) {
            topology.host(host); // names the host when unknown
        }
        if (host == null && !switchMode) {
            throw new ShadowVmException("no host given (expected: --host NAME, or --switch for a ToR/spine agent)");
        }
        if (host == null) {
            probing = false;
            listen = null;
        }
        if (agentName == null) {
            agentName = host;
        }
        if (intervalMs != 0 && (intervalMs < ProbePolicy.MIN_INTERVAL_MS || intervalMs > ProbePolicy.MAX_INTERVAL_MS)) {
            throw new ShadowVmException("invalid probe interval: " + intervalMs + " ms (expected: "
                + ProbePolicy.MIN_INTERVAL_MS + "-" + ProbePolicy.MAX_INTERVAL_MS + " ms)");
        }
        if (counterTickMs < 10 || counterTickMs > 60_000) {
            throw new ShadowVmException("invalid counter tick: " + counterTickMs + " ms (expected: 10-60000 ms)");
        }
        if (batchIntervalMs < 10 || batchIntervalMs > 600_000) {
            throw new ShadowVmException("invalid batch interval: " + batchIntervalMs + " ms (expected: 10-600000 ms)");
        }
        for (String iface : interfaceLinks.keySet()) {
            topology.link(interfaceLinks.get(iface));
        }
        if (peers != null) {
            for (String p : peers) {
                topology.host(p);
            }
        }
        concluded = true;
        return this;
    }

    void requireConcluded() {
        if (!concluded) {
            throw new IllegalStateException("MonitorContext.conclude() not called");
        }
    }

    public MonitorContext topology(Topology t) {
        this.topology = t;
        return this;
    }

    public MonitorContext host(String h) {
        this.host = h;
        return this;
    }

    public MonitorContext agentName(String n) {
        this.agentName = n;
        return this;
    }

    public MonitorContext listen(InetSocketAddress a) {
        this.listen = a;
        return this;
    }

    public MonitorContext peerAddress(String host, InetSocketAddress a) {
        peerAddresses.put(host, a);
        return this;
    }

    public MonitorContext policy(ProbePolicy p) {
        this.policy = p;
        return this;
    }

    public MonitorContext probeSettings(ProbeSettings s) {
        this.probeSettings = s;
        return this;
    }

    public MonitorContext placements(BitSet p) {
        this.placements = (BitSet) p.clone();
        return this;
    }

    public MonitorContext peers(List<String> p) {
        this.peers = p == null ? null : List.copyOf(p);
        return this;
    }

    public MonitorContext intervalMs(long ms) {
        this.intervalMs = ms;
        return this;
    }

    public MonitorContext probing(boolean b) {
        this.probing = b;
        return this;
    }

    public MonitorContext counters(boolean b) {
        this.counters = b;
        return this;
    }

    public MonitorContext switchMode(boolean b) {
        this.switchMode = b;
        return this;
    }

    public MonitorContext sysNet(Path p) {
        this.sysNet = p;
        return this;
    }

    public MonitorContext interfaceLink(String iface, String link) {
        interfaceLinks.put(iface, link);
        return this;
    }

    public MonitorContext counterTickMs(long ms) {
        this.counterTickMs = ms;
        return this;
    }

    public MonitorContext batchIntervalMs(long ms) {
        this.batchIntervalMs = ms;
        return this;
    }

    public MonitorContext metricsListen(InetSocketAddress a) {
        this.metricsListen = a;
        return this;
    }

    public MonitorContext jsonLines(Writer w) {
        this.jsonLines = w;
        return this;
    }

    public MonitorContext clocks(NanoClock nanos, EpochClock epoch) {
        this.nanoClock = nanos;
        this.epochClock = epoch;
        return this;
    }

    public Topology topology() {
        return topology;
    }

    public String host() {
        return host;
    }

    public String agentName() {
        return agentName;
    }

    public InetSocketAddress listen() {
        return listen;
    }

    public Map<String, InetSocketAddress> peerAddresses() {
        return peerAddresses;
    }

    public ProbePolicy policy() {
        return policy;
    }

    public ProbeSettings probeSettings() {
        return probeSettings;
    }

    public BitSet placements() {
        return placements;
    }

    public List<String> peers() {
        return peers;
    }

    public long intervalMs() {
        return intervalMs;
    }

    public boolean probing() {
        return probing;
    }

    public boolean counters() {
        return counters;
    }

    public boolean switchMode() {
        return switchMode;
    }

    public Path sysNet() {
        return sysNet;
    }

    public Map<String, String> interfaceLinks() {
        return interfaceLinks;
    }

    public long counterTickMs() {
        return counterTickMs;
    }

    public long batchIntervalMs() {
        return batchIntervalMs;
    }

    public int batchMaxSamples() {
        return batchMaxSamples;
    }

    public InetSocketAddress metricsListen() {
        return metricsListen;
    }

    public Writer jsonLines() {
        return jsonLines;
    }

    public NanoClock nanoClock() {
        return nanoClock;
    }

    public EpochClock epochClock() {
        return epochClock;
    }
}
