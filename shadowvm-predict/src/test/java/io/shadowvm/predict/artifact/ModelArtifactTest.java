package io.shadowvm.predict.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.data.Series;
import io.shadowvm.predict.model.Forecaster;
import io.shadowvm.predict.online.CongestionPredictor;
import io.shadowvm.predict.online.CongestionScore;
import io.shadowvm.predict.online.PathSpec;
import io.shadowvm.predict.online.ScoreSource;
import io.shadowvm.predict.rnn.RecurrentKind;
import io.shadowvm.predict.rnn.RnnConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArtifactTest {
    private static final int[] HS = {1, 3, 6};
    private static ModelArtifact trained;
    private static Series s1;

    @BeforeAll
    static void train() {
        s1 = sine(1, 0);
        Dataset ds = new Dataset("syn", "two sines", List.of(s1, sine(2, 1)));
        trained = ModelArtifact.train(ds, RnnConfig.tiny(RecurrentKind.GRU), HS, 90, Forecaster.ProgressListener.NONE);
    }

    static Series sine(long seed, double phase) {
        Random r = new Random(seed);
        double[] v = new double[500];
        for (int i = 0; i < v.length; i++) {
            v[i] = 50 + 20 * Math.sin(2 * Math.PI * i / 24.0 + phase) + r.nextGaussian();
        }
        return new Series("sine" + seed, v, 0, 3600, 0);
    }

    @Test
    void shouldWriteAManifestWithVersionKindNormalizationDigestAndMetrics(@TempDir Path dir) throws IOException {
        trained.save(dir);
        String json = Files.readString(dir.resolve(ModelArtifact.MANIFEST));
        assertThat(json).contains("\"formatVersion\" : 1", "\"modelKind\" : \"gru\"", "\"sha256\"", "\"metrics\"",
            "\"thresholdPercentile\" : 90.0", "\"name\" : \"sine1\"");
        assertThat(Files.exists(dir.resolve("rnn-0000.params"))).isTrue();
        ModelArtifact back = ModelArtifact.load(dir);
        assertThat(back.manifest().trainingData().sha256()).isEqualTo(trained.manifest().trainingData().sha256());
        assertThat(back.manifest().horizons()).containsExactly(HS);
        float[] x = new float[back.model().net().window() * back.model().net().channels()];
        java.util.Arrays.fill(x, 0.3f);
        assertThat(back.model().net().infer(x, 1)).containsExactly(trained.model().net().infer(x, 1));
    }

    @Test
    void shouldRefuseAnArtifactWithAnotherFormatVersionOrNoWeights(@TempDir Path dir) throws IOException {
        trained.save(dir);
        Path mf = dir.resolve(ModelArtifact.MANIFEST);
        Files.writeString(mf, Files.readString(mf).replace("\"formatVersion\" : 1", "\"formatVersion\" : 7"));
        assertThatThrownBy(() -> ModelArtifact.load(dir)).isInstanceOf(ArtifactMismatchException.class)
            .hasMessageContaining("formatVersion 7 (expected: 1)");
        Files.writeString(mf, Files.readString(mf).replace("\"formatVersion\" : 7", "\"formatVersion\" : 1"));
        Files.delete(dir.resolve("rnn-0000.params"));
        assertThatThrownBy(() -> ModelArtifact.load(dir)).hasMessageContaining("missing weights file rnn-0000.params");
        assertThatThrownBy(() -> ModelArtifact.load(dir.resolve("nowhere"))).hasMessageContaining("no manifest.json");
    }

    @Test
    void shouldScoreManyPathsAndFallBackOnShortOrGappyHistory() {
        CongestionPredictor p = new CongestionPredictor(trained, 3600, 8);
        int full = p.addPath(new PathSpec("full", 30, 70, 0.9));
        int gappy = p.addPath(new PathSpec("gappy", 30, 70, 0.9));
        int late = p.addPath(new PathSpec("late", 30, 70, 0.9));
        double[] v = s1.values();
        double[] tick = new double[3];
        for (int i = 0; i < 200; i++) {
            tick[full] = v[i];
            tick[gappy] = i == 195 ? Double.NaN : v[i];
            tick[late] = i < 195 ? Double.NaN : v[i];
            p.update(i * 3600L, tick);
        }
        p.score();
        assertThat(p.source(full)).isEqualTo(ScoreSource.MODEL);
        assertThat(p.source(gappy)).isEqualTo(ScoreSource.FALLBACK_GAPPY_HISTORY);
        assertThat(p.source(late)).isEqualTo(ScoreSource.FALLBACK_GAPPY_HISTORY);
        CongestionScore s = p.scoreOf(full);
        for (double x : s.probability()) {
            assertThat(x).isBetween(0.0, 1.0);
        }
        assertThat(s.forecast()[0]).isBetween(20.0, 80.0);
        CongestionPredictor fresh = new CongestionPredictor(trained, 3600, 1);
        fresh.addPath(PathSpec.ofCapacity("new", 100, 0.8));
        fresh.update(0, new double[] {90});
        fresh.score();
        assertThat(fresh.source(0)).isEqualTo(ScoreSource.FALLBACK_SHORT_HISTORY);
        assertThat(fresh.probability(0, 0)).isGreaterThan(0.5);
        assertThatThrownBy(() -> new CongestionPredictor(trained, 60, 1)).hasMessageContaining("tick of 60 s (expected: 3600 s");
    }
}
