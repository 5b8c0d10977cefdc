package io.shadowvm.predict.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.data.Series;
import io.shadowvm.predict.eval.Evaluator;
import io.shadowvm.predict.eval.HorizonMetrics;
import io.shadowvm.predict.eval.PreparedSeries;
import io.shadowvm.predict.model.BatchForecaster;
import io.shadowvm.predict.model.FitContext;
import io.shadowvm.predict.model.FittedForecaster;
import io.shadowvm.predict.model.Forecaster;
import io.shadowvm.predict.model.OnlineState;
import io.shadowvm.predict.model.Persistence;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecurrentForecasterTest {
    private static final int[] HS = {1, 3, 6};
    private static List<Series> series;

    @BeforeAll
    static void data() {
        series = List.of(sine(1, 0.0), sine(2, 1.0));
    }

    static Series sine(long seed, double phase) {
        Random r = new Random(seed);
        double[] v = new double[600];
        for (int i = 0; i < v.length; i++) {
            v[i] = 5 + 2 * Math.sin(2 * Math.PI * i / 24.0 + phase) + 0.05 * r.nextGaussian();
        }
        return new Series("sine" + seed, v, 0, 3600, 0);
    }

    @Test
    void shouldLoadThePyTorchEngineFromTheBundledJarsInOfflineMode() {
        Engine e = DjlRuntime.engine();
        assertThat(e.getEngineName()).isEqualTo("PyTorch");
        assertThat(e.getVersion()).isEqualTo("2.7.1");
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    }

    @Test
    void shouldTrainOneGlobalModelThatBeatsPersistenceAndIsReproducible() {
        Evaluator ev = new Evaluator(HS, 90);
        Dataset ds = new Dataset("syn", "two noisy sines", series);
        // no wall-clock cut (tiny's 30 s budget can end training early on a loaded machine, and then two runs differ)
        RnnConfig cfg = RnnConfig.tiny(RecurrentKind.GRU).withTimeBudget(3_600);
        Forecaster gru = new RecurrentForecaster(cfg);
        Evaluator.Report r = ev.evaluate(ds, List.of(gru, new Persistence()), Forecaster.ProgressListener.NONE);
        HorizonMetrics g6 = r.rows().get(2);
        HorizonMetrics p6 = r.rows().get(5);
        assertThat(g6.model()).isEqualTo("gru");
        assertThat(g6.horizon()).isEqualTo(6);
        assertThat(g6.mse()).isLessThan(p6.mse());
        Evaluator.Report again = ev.evaluate(ds, List.of(new RecurrentForecaster(cfg)),
            Forecaster.ProgressListener.NONE);
        assertThat(again.rows().get(2).mse()).isEqualTo(g6.mse());
    }

    @Test
    void shouldGiveTheSameForecastOnlineAsInABatchAndUseNoValueAfterTheOrigin() {
        PreparedSeries p = new PreparedSeries(series.get(0), 90);
        FitContext ctx = p.fitContext(HS);
        RecurrentForecaster lstm = new RecurrentForecaster(RnnConfig.tiny(RecurrentKind.LSTM));
        FittedForecaster f = lstm.fit(ctx);
        double[] z = ctx.z();
        int t = 300;
        BatchForecaster.Result batch = ((BatchForecaster) f).forecastOrigins(z, null, t, t + 1);
        double[] future = z.clone();
        for (int i = t + 1; i < future.length; i++) {
            future[i] = 1e6;
        }
        BatchForecaster.Result poisoned = ((BatchForecaster) f).forecastOrigins(future, null, t, t + 1);
        OnlineState s = f.start();
        for (int i = 0; i <= t; i++) {
            s.observe(z[i]);
        }
        double[] out = new double[HS.length];
        s.forecast(out);
        for (int k = 0; k < HS.length; k++) {
            assertThat(out[k]).isCloseTo(batch.forecast()[k][0], within(1e-6));
            assertThat(poisoned.forecast()[k][0]).isEqualTo(batch.forecast()[k][0]);
            assertThat(batch.rawProbability()[k][0]).isBetween(0.0, 1.0);
        }
    }
}
