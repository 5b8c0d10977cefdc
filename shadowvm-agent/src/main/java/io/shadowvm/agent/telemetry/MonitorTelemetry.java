package io.shadowvm.agent.telemetry;

import io.shadowvm.agent.TelemetrySource;
import io.shadowvm.api.proto.LinkSample;
import io.shadowvm.api.proto.ProbeSample;
import io.shadowvm.api.proto.TelemetryBatch;
import io.shadowvm.monitor.export.TelemetryMetric;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Drains the Network Monitoring Agent's batches ({@code MonitorAgent::pollBatch}) into the controller's
 * telemetry: {@code LINK_UTIL} (and {@code TX_BPS} for the bit rate) become link samples named after the
 * topology link; {@code RTT_MS} and {@code RTT_LOSS} of the same peer become one probe sample with the
 * newest value of each. Connect and UDP probes are not forwarded (the controller weighs TCP RTT and loss).
 */
public final class MonitorTelemetry implements TelemetrySource {
    private final Supplier<io.shadowvm.monitor.export.TelemetryBatch> poll;

    /** @param poll usually {@code monitorAgent::pollBatch}; returns {@code null} when nothing is pending */
    public MonitorTelemetry(Supplier<io.shadowvm.monitor.export.TelemetryBatch> poll) {
        this.poll = poll;
    }

    @Override
    public void collect(TelemetryBatch.Builder out, long nowMs) {
        Map<String, LinkSample.Builder> links = new LinkedHashMap<>();
        Map<String, ProbeSample.Builder> probes = new LinkedHashMap<>();
        io.shadowvm.monitor.export.TelemetryBatch b;
        while ((b = poll.get()) != null) {
            for (int i = 0; i < b.size(); i++) {
                TelemetryMetric m = b.metric(i);
                long at = b.timestamps()[i];
                double v = b.values()[i];
                if (m == TelemetryMetric.LINK_UTIL || m == TelemetryMetric.TX_BPS) {
                    String link = b.names().get(b.subjects()[i]);
                    LinkSample.Builder l = links.computeIfAbsent(link, k -> LinkSample.newBuilder().setLink(k));
                    if (m == TelemetryMetric.LINK_UTIL) {
                        l.setUtilization(v).setAtMs(Math.max(l.getAtMs(), at));
                    } else {
                        l.setBitsPerSecond(v);
                    }
                } else if ((m == TelemetryMetric.RTT_MS || m == TelemetryMetric.RTT_LOSS) && b.peers()[i] >= 0) {
                    String peer = b.names().get(b.peers()[i]);
                    ProbeSample.Builder p = probes.computeIfAbsent(peer, k -> ProbeSample.newBuilder().setTargetHost(k));
                    p.setAtMs(Math.max(p.getAtMs(), at));
                    if (m == TelemetryMetric.RTT_MS) {
                        p.setRttUs(v * 1000.0);
                    } else {
                        p.setLossRatio(Math.max(0, Math.min(1, v)));
                    }
                }
            }
        }
        for (LinkSample.Builder l : links.values()) {
            out.addLinks(l);
        }
        for (ProbeSample.Builder p : probes.values()) {
            out.addProbes(p);
        }
    }
}
