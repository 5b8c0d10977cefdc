package io.shadowvm.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.api.proto.TelemetryBatch;
import io.shadowvm.monitor.export.TelemetryBatchBuilder;
import io.shadowvm.monitor.export.TelemetryMetric;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class MonitorTelemetryTest {
    @Test
    void linkUtilizationAndProbeRttAndLossArriveAsControllerTelemetry() {
        TelemetryBatchBuilder b = new TelemetryBatchBuilder("h1", 100);
        int h1 = b.name("h1");
        int h2 = b.name("h2");
        int uplink = b.name("r1-spine");
        b.add(TelemetryMetric.LINK_UTIL, uplink, -1, 1_000, 0.42);
        b.add(TelemetryMetric.TX_BPS, uplink, -1, 1_000, 4.2e9);
        b.add(TelemetryMetric.RTT_MS, h1, h2, 1_000, 0.25);
        b.add(TelemetryMetric.RTT_LOSS, h1, h2, 1_010, 0.01);
        b.add(TelemetryMetric.UDP_RTT_MS, h1, h2, 1_000, 9.9);
        Deque<io.shadowvm.monitor.export.TelemetryBatch> q = new ArrayDeque<>();
        q.add(b.drain(1_100));
        TelemetryBatch.Builder out = TelemetryBatch.newBuilder();
        new MonitorTelemetry(q::poll).collect(out, 1_200);
        assertThat(out.getLinksCount()).isEqualTo(1);
        assertThat(out.getLinks(0).getLink()).isEqualTo("r1-spine");
        assertThat(out.getLinks(0).getUtilization()).isEqualTo(0.42);
        assertThat(out.getLinks(0).getBitsPerSecond()).isEqualTo(4.2e9);
        assertThat(out.getProbesCount()).isEqualTo(1);
        assertThat(out.getProbes(0).getTargetHost()).isEqualTo("h2");
        assertThat(out.getProbes(0).getRttUs()).isEqualTo(250.0);
        assertThat(out.getProbes(0).getLossRatio()).isEqualTo(0.01);
        assertThat(out.getProbes(0).getAtMs()).isEqualTo(1_010);
    }
}
