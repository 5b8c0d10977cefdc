package io.shadowvm.monitor.counters;

import io.shadowvm.core.agent.Agent;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.core.topology.Link;
import io.shadowvm.core.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Samples interface counters every {@code tickNs} and reports rates and utilization. Rates are computed
 * from the counter deltas over the measured interval (not the nominal tick), so a late tick does not
 * inflate them; a counter that went backwards (interface re-created) restarts the baseline and reports
 * nothing for that tick.
 */
public final class CounterSampler implements Agent, AutoCloseable {
    private final List<InterfaceBinding> bindings;
    private final InterfaceCounters[] counters;
    private final long[] lastTx;
    private final long[] lastRx;
    private final long[] lastTxPkts;
    private final long[] lastRxPkts;
    private final boolean[] primed;
    private final double[] lastUtil;
    private final long tickNs;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final CounterListener listener;
    private long lastSampleNs;
    private long nextTickNs;

    public CounterSampler(Path sysNet, List<InterfaceBinding> bindings, long tickNs, NanoClock nanoClock,
                          EpochClock epochClock, CounterListener listener) {
        if (tickNs < 1_000_000) {
            throw new IllegalArgumentException("invalid counter tick: " + tickNs + " ns (expected: >= 1 ms)");
        }
        this.bindings = List.copyOf(bindings);
        this.tickNs = tickNs;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.listener = listener;
        int n = bindings.size();
        counters = new InterfaceCounters[n];
        lastTx = new long[n];
        lastRx = new long[n];
        lastTxPkts = new long[n];
        lastRxPkts = new long[n];
        primed = new boolean[n];
        lastUtil = new double[n];
        java.util.Arrays.fill(lastUtil, Double.NaN);
        try {
            for (int i = 0; i < n; i++) {
                counters[i] = new InterfaceCounters(sysNet, bindings.get(i).iface());
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
        sample(nanoClock.nanoTime());
        nextTickNs = lastSampleNs + tickNs;
    }

    /**
     * The interfaces to watch in this namespace: every interface whose name is a topology link (both ends of
     * a testbed link carry the link's name), plus {@code extra} (interface → link name) mappings; in
     * {@code switchMode} also every other interface but {@code lo}, with rates only.
     */
    public static List<InterfaceBinding> bind(Path sysNet, Topology topology, Map<String, String> extra,
                                              boolean switchMode) {
        List<String> present;
        try {
            present = InterfaceCounters.list(sysNet);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list interfaces in " + sysNet + ": " + e.getMessage(), e);
        }
        List<InterfaceBinding> out = new ArrayList<>();
        for (String iface : present) {
            String link = extra.getOrDefault(iface, topology != null && hasLink(topology, iface) ? iface : null);
            if (link != null) {
                Link l = topology.link(link);
                out.add(new InterfaceBinding(iface, link, l.capacityGbps() * 1e9));
            } else if (switchMode && !iface.equals("lo")) {
                out.add(new InterfaceBinding(iface, null, 0));
            }
        }
        return out;
    }

    private static boolean hasLink(Topology topology, String name) {
        for (Link l : topology.links()) {
            if (l.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    public List<InterfaceBinding> bindings() {
        return bindings;
    }

    /** The newest utilization of binding {@code i} (NaN before the second sample or without capacity). */
    public double lastUtilization(int i) {
        return lastUtil[i];
    }

    @Override
    public int doWork() {
        long now = nanoClock.nanoTime();
        if (now < nextTickNs) {
            return 0;
        }
        nextTickNs = Math.max(nextTickNs + tickNs, now + tickNs / 2);
        sample(now);
        return 1;
    }

    /** Nanoseconds until the next tick. */
    public long nanosUntilNextWork() {
        return Math.max(0, nextTickNs - nanoClock.nanoTime());
    }

    private void sample(long now) {
        double dt = (now - lastSampleNs) / 1e9;
        long epochMs = epochClock.epochMillis();
        for (int i = 0; i < counters.length; i++) {
            InterfaceCounters c = counters[i];
            if (!c.read()) {
                primed[i] = false;
                continue;
            }
            long tx = c.txBytes();
            long rx = c.rxBytes();
            long txp = c.txPackets();
            long rxp = c.rxPackets();
            if (primed[i] && dt > 0 && tx >= lastTx[i] && rx >= lastRx[i]) {
                double txBps = (tx - lastTx[i]) * 8.0 / dt;
                double rxBps = (rx - lastRx[i]) * 8.0 / dt;
                double txPps = Math.max(0, txp - lastTxPkts[i]) / dt;
                double rxPps = Math.max(0, rxp - lastRxPkts[i]) / dt;
                double cap = bindings.get(i).capacityBps();
                double util = cap > 0 ? Math.max(txBps, rxBps) / cap : Double.NaN;
                lastUtil[i] = util;
                listener.onInterfaceSample(i, epochMs, txBps, rxBps, txPps, rxPps, util);
            }
            lastTx[i] = tx;
            lastRx[i] = rx;
            lastTxPkts[i] = txp;
            lastRxPkts[i] = rxp;
            primed[i] = true;
        }
        lastSampleNs = now;
    }

    @Override
    public void onClose() {
        close();
    }

    @Override
    public void close() {
        for (InterfaceCounters c : counters) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Override
    public String roleName() {
        return "counter-sampler";
    }
}
