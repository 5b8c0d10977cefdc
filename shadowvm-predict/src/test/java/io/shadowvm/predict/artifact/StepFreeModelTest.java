package io.shadowvm.predict.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.data.Datasets;
import io.shadowvm.predict.data.Series;
import io.shadowvm.predict.eval.HorizonMetrics;
import io.shadowvm.predict.model.Forecaster;
import io.shadowvm.predict.model.Models;
import io.shadowvm.predict.online.CongestionPredictor;
import io.shadowvm.predict.online.PathSpec;
import io.shadowvm.predict.online.ScoreSource;
import io.shadowvm.predict.rnn.RecurrentKind;
import io.shadowvm.predict.rnn.RnnConfig;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The step-free, crossing-trained model the controller ships with, and the transfer evaluation around it. */
class StepFreeModelTest {
    private static final int[] HS = {1, 3, 6};

    @Test
    void theShippedModelLoadsFromTheClasspathIsStepFreeSmallAndScoresAtAOneSecondTick() throws Exception {
        long t0 = System.nanoTime();
        ModelArtifact a = ShippedModel.load();
        double loadSec = (System.nanoTime() - t0) / 1e9;
        ModelManifest m = a.manifest();
        assertThat(m.inputs().stepSec()).isZero();
        assertThat(m.inputs().clock()).isFalse();
        assertThat(m.inputs().dailyPeriod()).isZero();
        assertThat(m.calibration().event()).isEqualTo(ModelManifest.EVENT_CROSSING);
        long bytes = 0;
        for (String f : List.of("manifest.json", "rnn-0000.params")) {
            try (InputStream in = ShippedModel.class.getResourceAsStream(ShippedModel.RESOURCE_DIR + f)) {
                bytes += in.readAllBytes().length;
            }
        }
        assertThat(bytes).as("artifact bytes").isLessThan(2_000_000);
        CongestionPredictor p = new CongestionPredictor(a, 1, 2);
        int low = p.addPath(PathSpec.ofCapacity("low", 1, 0.8));
        int hot = p.addPath(PathSpec.ofCapacity("hot", 1, 0.8));
        for (int t = 0; t < 20; t++) {
            p.update(t, new double[] {0.1, 0.95});
            p.score();
        }
        assertThat(p.source(low)).isEqualTo(ScoreSource.MODEL);
        assertThat(p.probability(low, 0)).isLessThan(0.1);
        assertThat(p.probability(hot, 0)).isGreaterThan(0.5);
        System.out.printf("shipped model loaded in %.3f s (engine start included when first)%n", loadSec);
    }

    @Test
    void withoutTheNetworkEveryPathGetsPersistenceWithTheManifestsErrorSpreadAndSaysSo() {
        ModelManifest m = ShippedModel.manifest();
        CongestionPredictor p = CongestionPredictor.baselineOnly(m, 1, 2);
        int a = p.addPath(PathSpec.ofCapacity("a", 1, 0.8));
        int b = p.addPath(PathSpec.ofCapacity("b", 1, 0.8));
        p.update(0, new double[] {0.8, Double.NaN});
        p.score();
        assertThat(p.hasNetwork()).isFalse();
        assertThat(p.source(a)).isEqualTo(ScoreSource.FALLBACK_NO_ENGINE);
        assertThat(p.probability(a, 0)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.forecast(a, 2)).isEqualTo(0.8);
        assertThat(p.source(b)).isEqualTo(ScoreSource.NO_DATA);
    }

    @Test
    void aUnionKeepsEverySeriesNamedByItsDatasetAndStepFreeRemovesTheClock() {
        Dataset u = Datasets.union(List.of(new Dataset("x", "x", List.of(ModelArtifactTest.sine(1, 0))),
            new Dataset("y", "y", List.of(ModelArtifactTest.sine(2, 1)))));
        assertThat(u.series()).extracting(Series::name).containsExactly("x/sine1", "y/sine2");
        Dataset sf = Datasets.withoutClock(u);
        assertThat(sf.series()).allMatch(s -> !s.hasClock() && s.dailyPeriod() == 0 && s.stepSec() == 0);
        assertThat(sf.series().get(0).values()).isSameAs(u.series().get(0).values());
    }

    @Test
    void aStepFreeCrossingModelIsScoredOnAHeldOutDatasetNextToTheBaselines() {
        Dataset train = Datasets.withoutClock(Datasets.union(List.of(
            new Dataset("a", "a", List.of(ModelArtifactTest.sine(1, 0))),
            new Dataset("b", "b", List.of(ModelArtifactTest.sine(2, 1))))));
        ModelArtifact a = ModelArtifact.train(train, RnnConfig.tiny(RecurrentKind.GRU).withCrossing(true), HS, 90,
            Forecaster.ProgressListener.NONE);
        assertThat(a.manifest().inputs().stepSec()).isZero();
        Dataset held = new Dataset("c", "c", List.of(ModelArtifactTest.sine(3, 2)));
        Transfer.Result r = Transfer.evaluate(a, held, Models.baselines("persistence,ar"), HS, 90,
            Forecaster.ProgressListener.NONE);
        assertThat(r.protocol().rows()).extracting(HorizonMetrics::model).containsOnly("persistence", "ar", "gru-shipped",
            "gru-valcal");
        assertThat(r.protocol().rows()).hasSize(4 * HS.length);
        assertThat(r.crossings()).hasSize(4 * HS.length);
        for (HorizonMetrics c : r.crossings()) {
            assertThat(c.brier()).isBetween(0.0, 1.0);
            assertThat(c.targets()).isPositive();
        }
        // a crossing within h is at least as frequent as being above at exactly h
        HorizonMetrics at = r.protocol().rows().stream().filter(x -> x.model().equals("persistence") && x.horizon() == 6)
            .findFirst().orElseThrow();
        HorizonMetrics within = r.crossings().stream().filter(x -> x.model().equals("persistence") && x.horizon() == 6)
            .findFirst().orElseThrow();
        assertThat((double) within.positives() / within.targets()).isGreaterThanOrEqualTo((double) at.positives() / at.targets());
    }
}
