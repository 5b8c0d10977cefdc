package io.shadowvm.monitor.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class JsonLinesSinkTest {
    @Test
    void shouldWriteProbeAndLinkSamplesInTheDocumentedShape() {
        StringWriter out = new StringWriter();
        JsonLinesSink s = new JsonLinesSink(out);
        s.probe(1_764_000_000_123L, "rtt_ms", "r1h1", "r2h1", 0.1424567);
        s.link(1_764_000_000_124L, "link_util", "r1-spine", 0.97);
        s.probe(1_764_000_000_125L, "rtt_loss", "r1h1", "r2h1", 1);
        s.link(1_764_000_000_126L, "link_util", "r2-spine", Double.NaN);
        s.link(1_764_000_000_127L, "link_util", "r3-spine", 0.0000012);
        s.probe(1_764_000_000_128L, "rtt_ms", "r1h1", "r2h1", 12.05);
        assertThat(out.toString()).isEmpty();
        s.flush();
        assertThat(out.toString()).isEqualTo("""
            {"ts":1764000000123,"metric":"rtt_ms","src":"r1h1","dst":"r2h1","value":0.142457}
            {"ts":1764000000124,"metric":"link_util","link":"r1-spine","value":0.97}
            {"ts":1764000000125,"metric":"rtt_loss","src":"r1h1","dst":"r2h1","value":1}
            {"ts":1764000000127,"metric":"link_util","link":"r3-spine","value":0.000001}
            {"ts":1764000000128,"metric":"rtt_ms","src":"r1h1","dst":"r2h1","value":12.05}
            """);
    }
}
