package io.shadowvm.controller.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import io.shadowvm.predict.artifact.ArtifactMismatchException;
import io.shadowvm.predict.artifact.ShippedModel;
import io.shadowvm.predict.rnn.EngineUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictorScorerTest {
    private final Topology topology = TopologyGenerator.generate(new TopologyGenerator.Spec(1, 2, 2, 1, false, 40, "dc1"));

    @Test
    void withoutThePyTorchEngineTheScorerSaysWhyInOneLineAndScoresByPersistence() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PredictorScorer s;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            s = PredictorScorer.open(() -> {
                throw new EngineUnavailableException("no libtorch here", new UnsatisfiedLinkError("libtorch.so"));
            }, ShippedModel::manifest, "test-model", topology, 0.8, 1);
        } finally {
            System.setErr(old);
        }
        String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines()).hasSize(1);
        assertThat(printed).contains("test-model", "persistence", "no libtorch here");
        assertThat(s.hasNetwork()).isFalse();
        assertThat(s.describe()).contains("NO NETWORK");
        String link = topology.uplink(0).name();
        s.observe(link, 0, 0.95);
        assertThat(s.score(link, 0)).isGreaterThan(0.5);
        s.observe(link, 1_000, 0.1);
        assertThat(s.score(link, 1_000)).isLessThan(0.01);
    }

    @Test
    void aDirectoryThatIsNotAModelIsRefusedRatherThanPaperedOver(@TempDir Path dir) {
        assertThatThrownBy(() -> PredictorScorer.load(dir, topology, 0.8, 1)).isInstanceOf(ArtifactMismatchException.class)
            .hasMessageContaining("no manifest.json");
    }

    @Test
    void theShippedModelScoresEveryTopologyLinkAtAOneSecondTick() {
        PredictorScorer s = PredictorScorer.shipped(topology);
        assertThat(s.hasNetwork()).isTrue();
        assertThat(s.describe()).contains(ShippedModel.NAME, "within 12 ticks of 1000 ms");
        String quiet = topology.hostLink(0).name();
        String busy = topology.uplink(1).name();
        for (long t = 0; t < 20; t++) {
            s.observe(quiet, t * 1_000, 0.05);
            s.observe(busy, t * 1_000, 0.97);
            s.score(quiet, t * 1_000);
        }
        assertThat(s.score(quiet, 19_000)).isLessThan(0.1);
        assertThat(s.score(busy, 19_000)).isGreaterThan(0.7);
    }
}
