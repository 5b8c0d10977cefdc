package io.shadowvm.predict.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.data.Series;
import io.shadowvm.predict.model.FitContext;
import io.shadowvm.predict.model.FittedForecaster;
import io.shadowvm.predict.model.Forecaster;
import io.shadowvm.predict.model.Models;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProtocolTest {
    private static final int[] HS = {1, 3, 6, 12};

    static Series noisySeasonal(long seed, int n) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 10 + 3 * Math.sin(2 * Math.PI * i / 48.0) + r.nextGaussian();
        }
        return new Series("s" + seed, v, 0, 1800, 0);
    }

    @Test
    void shouldSplitSeventyFifteenFifteenInTimeOrder() {
        Split s = Split.of(101);
        assertThat(s.nTrain()).isEqualTo(70);
        assertThat(s.nVal()).isEqualTo(15);
        assertThat(s.nTest()).isEqualTo(16);
        assertThat(s.testStart()).isEqualTo(85);
    }

    @Test
    void shouldInterpolatePercentilesLinearlyLikeNumpy() {
        double[] x = {4, 1, 3, 2, 100};
        assertThat(Percentile.of(x, 4, 90)).isCloseTo(3.7, within(1e-12));
        assertThat(Percentile.of(x, 4, 50)).isCloseTo(2.5, within(1e-12));
        assertThat(Percentile.of(x, 5, 100)).isEqualTo(100);
    }

    @Test
    void shouldFitNormalizationAndThresholdOnTheTrainingPartOnly() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            v[i] = i < 70 ? i % 10 : 1000;
        }
        PreparedSeries p = new PreparedSeries(Series.untimed("x", v), 90);
        assertThat(p.normalization().min()).isEqualTo(0);
        assertThat(p.normalization().max()).isEqualTo(9);
        assertThat(p.threshold()).isCloseTo(Percentile.of(new MinMax(0, 9).apply(v), 70, 90), within(1e-12));
        assertThat(p.fitContext(HS).z()).hasSize(85);
    }

    /** The leak test: whatever the test part holds, normalization, threshold and fitted models are identical. */
    @Test
    void shouldNeverLetTestValuesTouchNormalizationThresholdOrFitting() {
        Series a = noisySeasonal(1, 600);
        double[] poisoned = a.values().clone();
        Split split = Split.of(poisoned.length);
        for (int i = split.testStart(); i < poisoned.length; i++) {
            poisoned[i] = 1e9 * (i % 2 == 0 ? 1 : -1);
        }
        Series b = new Series(a.name(), poisoned, a.startEpochSec(), a.stepSec(), 0);
        PreparedSeries pa = new PreparedSeries(a, 90);
        PreparedSeries pb = new PreparedSeries(b, 90);
        assertThat(pb.normalization()).isEqualTo(pa.normalization());
        assertThat(pb.threshold()).isEqualTo(pa.threshold());
        FitContext ca = pa.fitContext(HS);
        FitContext cb = pb.fitContext(HS);
        assertThat(cb.z()).containsExactly(ca.z());
        for (Forecaster f : Models.baselines(String.join(",", Models.BASELINE_ORDER))) {
            assertThat(f.fit(cb).describe()).as(f.name()).isEqualTo(f.fit(ca).describe());
        }
    }

    /** Rolling origin: a forecast made at t is unchanged when every value after t changes. */
    @Test
    void shouldMakeEveryForecastFromValuesUpToItsOriginOnly() {
        Series a = noisySeasonal(2, 400);
        PreparedSeries p = new PreparedSeries(a, 90);
        Evaluator ev = new Evaluator(HS, 90);
        int testStart = p.split().testStart();
        int cut = testStart + 20; // change every value after this origin
        double[] changed = a.values().clone();
        for (int i = cut + 1; i < changed.length; i++) {
            changed[i] = -changed[i] * 7;
        }
        PreparedSeries q = new PreparedSeries(new Series(a.name(), changed, a.startEpochSec(), a.stepSec(), 0), 90);
        for (Forecaster f : Models.baselines(String.join(",", Models.BASELINE_ORDER))) {
            FittedForecaster fitted = f.fit(p.fitContext(HS));
            double[][] fa = ev.forecast(p, fitted).forecast();
            double[][] fb = ev.forecast(q, fitted).forecast();
            for (int k = 0; k < HS.length; k++) {
                int lastSafeTarget = cut + HS[k]; // origin <= cut
                for (int tau = testStart; tau <= lastSafeTarget && tau < a.length(); tau++) {
                    assertThat(fb[k][tau - testStart]).as(f.name() + " h=" + HS[k] + " tau=" + tau)
                        .isEqualTo(fa[k][tau - testStart]);
                }
            }
        }
    }

    @Test
    void shouldPoolMetricsOverSeriesAndReportEveryModelAndHorizon() {
        List<Series> s = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            s.add(noisySeasonal(10 + i, 300));
        }
        Evaluator.Report r = new Evaluator(HS, 90).evaluate(new Dataset("syn", "synthetic", s),
            Models.baselines("persistence,ar"), Forecaster.ProgressListener.NONE);
        assertThat(r.rows()).hasSize(8);
        assertThat(r.seriesUsed()).isEqualTo(3);
        assertThat(r.rows()).allSatisfy(m -> {
            assertThat(m.targets()).isEqualTo(3 * Split.of(300).nTest());
            assertThat(m.mse()).isCloseTo(m.rmse() * m.rmse(), within(1e-12));
            assertThat(m.brier()).isBetween(0.0, 1.0);
        });
        assertThat(Arrays.stream(HS).boxed().toList()).containsExactly(r.rows().get(0).horizon(), r.rows().get(1).horizon(),
            r.rows().get(2).horizon(), r.rows().get(3).horizon());
    }
}
