package io.shadowvm.monitor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowvm.monitor.counters.CounterListener;
import io.shadowvm.monitor.counters.InterfaceBinding;
import io.shadowvm.monitor.export.JsonLinesSink;
import io.shadowvm.monitor.export.TelemetryBatchBuilder;
import io.shadowvm.monitor.export.TelemetryMetric;
import io.shadowvm.monitor.probe.ProbeListener;
import io.shadowvm.monitor.probe.ProbeMetric;
import io.shadowvm.monitor.series.MetricSeries;
import io.shadowvm.monitor.series.SeriesStore;
import java.util.Arrays;
import java.util.List;

/**
 * Where every probe outcome and interface sample goes, on the agent's thread: the time series, the
 * telemetry batch, the JSON-lines sink and the Prometheus meters. Everything is addressed by array index
 * prepared at construction, so a sample costs no allocation. Prometheus gauges read the {@code last*}
 * arrays from the scrape thread: a scrape may see a value one sample old, which is what a gauge means.
 */
final class SampleRecorder implements ProbeListener, CounterListener {
    private static final ProbeMetric[] PROBE_METRICS = ProbeMetric.values();
    private static final TelemetryMetric[] SAMPLE_CODE = {TelemetryMetric.RTT_MS, TelemetryMetric.CONNECT_MS,
        TelemetryMetric.UDP_RTT_MS};
    private static final TelemetryMetric[] LOSS_CODE = {TelemetryMetric.RTT_LOSS, TelemetryMetric.CONNECT_LOSS,
        TelemetryMetric.UDP_LOSS};

    private final String self;
    private final String[] peerNames;
    private final List<InterfaceBinding> bindings;
    private final SeriesStore series;
    private final int[][] probeSeries;         // [metric][peer]
    private final int[] linkSeries;            // [binding], -1 without a link
    private final double[][] lastProbe;        // [metric][peer] in ms
    private final Counter[][] losses;          // [metric][peer], null without a registry
    private final double[] lastUtil;
    private final double[] lastTxBps;
    private final double[] lastRxBps;
    private final JsonLinesSink json;
    private final TelemetryBatchBuilder batch;
    private final int selfName;
    private final int[] peerName;
    private final int[] bindingName;

    SampleRecorder(String self, String[] peerNames, List<InterfaceBinding> bindings, SeriesStore series,
                   JsonLinesSink json, TelemetryBatchBuilder batch, MeterRegistry registry) {
        this.self = self;
        this.peerNames = peerNames.clone();
        this.bindings = List.copyOf(bindings);
        this.series = series;
        this.json = json;
        this.batch = batch;
        int m = PROBE_METRICS.length;
        int p = peerNames.length;
        probeSeries = new int[m][p];
        lastProbe = new double[m][p];
        losses = new Counter[m][p];
        for (int k = 0; k < m; k++) {
            Arrays.fill(lastProbe[k], Double.NaN);
            for (int i = 0; i < p; i++) {
                probeSeries[k][i] = series.register(PROBE_METRICS[k].jsonName() + "/" + peerNames[i],
                    MetricSeries.Capacity.COMPACT);
            }
        }
        int b = bindings.size();
        linkSeries = new int[b];
        lastUtil = new double[b];
        lastTxBps = new double[b];
        lastRxBps = new double[b];
        Arrays.fill(lastUtil, Double.NaN);
        for (int i = 0; i < b; i++) {
            String link = bindings.get(i).link();
            linkSeries[i] = link == null ? -1 : series.register("link_util/" + link, MetricSeries.Capacity.DEFAULT);
        }
        selfName = batch.name(self);
        peerName = new int[p];
        for (int i = 0; i < p; i++) {
            peerName[i] = batch.name(peerNames[i]);
        }
        bindingName = new int[b];
        for (int i = 0; i < b; i++) {
            InterfaceBinding ib = bindings.get(i);
            bindingName[i] = batch.name(ib.link() != null ? ib.link() : ib.iface());
        }
        if (registry != null) {
            register(registry);
        }
    }

    private void register(MeterRegistry registry) {
        for (int k = 0; k < PROBE_METRICS.length; k++) {
            final double[] last = lastProbe[k];
            String proto = PROBE_METRICS[k].name().toLowerCase(java.util.Locale.ROOT);
            for (int i = 0; i < peerNames.length; i++) {
                final int peer = i;
                Gauge.builder("shadowvm.probe.last.ms", last, a -> a[peer]).strongReference(true)
                    .tag("src", self).tag("dst", peerNames[i]).tag("probe", proto)
                    .description("the newest probe result, milliseconds").register(registry);
                losses[k][i] = Counter.builder("shadowvm.probe.losses").tag("src", self).tag("dst", peerNames[i])
                    .tag("probe", proto).description("probes that timed out or failed").register(registry);
            }
        }
        for (int i = 0; i < bindings.size(); i++) {
            final int at = i;
            InterfaceBinding ib = bindings.get(i);
            if (ib.link() != null) {
                Gauge.builder("shadowvm.link.utilization", lastUtil, a -> a[at]).strongReference(true)
                    .tag("link", ib.link()).description("max(tx, rx) / capacity over the last tick")
                    .register(registry);
            }
            Gauge.builder("shadowvm.interface.bits.per.second", lastTxBps, a -> a[at]).strongReference(true)
                .tag("interface", ib.iface()).tag("direction", "tx").register(registry);
            Gauge.builder("shadowvm.interface.bits.per.second", lastRxBps, a -> a[at]).strongReference(true)
                .tag("interface", ib.iface()).tag("direction", "rx").register(registry);
        }
    }

    @Override
    public void onSample(int peer, ProbeMetric metric, long epochMs, double valueMs) {
        int k = metric.ordinal();
        series.record(probeSeries[k][peer], epochMs, valueMs);
        lastProbe[k][peer] = valueMs;
        batch.add(SAMPLE_CODE[k], selfName, peerName[peer], epochMs, valueMs);
        if (json != null) {
            json.probe(epochMs, metric.jsonName(), self, peerNames[peer], valueMs);
        }
    }

    @Override
    public void onLoss(int peer, ProbeMetric metric, long epochMs) {
        int k = metric.ordinal();
        if (losses[k][peer] != null) {
            losses[k][peer].increment();
        }
        batch.add(LOSS_CODE[k], selfName, peerName[peer], epochMs, 1);
        if (json != null) {
            json.probe(epochMs, metric.lossName(), self, peerNames[peer], 1);
        }
    }

    @Override
    public void onInterfaceSample(int binding, long epochMs, double txBps, double rxBps, double txPps, double rxPps,
                                  double utilization) {
        lastTxBps[binding] = txBps;
        lastRxBps[binding] = rxBps;
        batch.add(TelemetryMetric.TX_BPS, bindingName[binding], -1, epochMs, txBps);
        batch.add(TelemetryMetric.RX_BPS, bindingName[binding], -1, epochMs, rxBps);
        if (linkSeries[binding] < 0) {
            return;
        }
        lastUtil[binding] = utilization;
        series.record(linkSeries[binding], epochMs, utilization);
        batch.add(TelemetryMetric.LINK_UTIL, bindingName[binding], -1, epochMs, utilization);
        if (json != null) {
            json.link(epochMs, "link_util", bindings.get(binding).link(), utilization);
        }
    }

    void flush() {
        if (json != null) {
            json.flush();
        }
    }
}
