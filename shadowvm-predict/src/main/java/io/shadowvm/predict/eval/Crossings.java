package io.shadowvm.predict.eval;

import io.shadowvm.predict.model.FittedForecaster;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller's question scored on test data: does the series cross its threshold within h steps? For an
 * origin t the event is {@code max z[t+1..t+h] > thr}; a model's probability is the largest of its calibrated
 * {@code P(z[t+h'] > thr)} over its horizons {@code h' <= h} (what {@code PredictorScorer} computes from any
 * model; for a head trained on crossings it is that head's own answer). Origins run over
 * {@code [testStart - 1, n - 1 - h]}, so every target is in the test part; forecasts and calibrations are the
 * evaluator's, fitted on train and validation only. The MAE/RMSE columns compare the largest forecast over
 * {@code h' <= h} with the actual maximum; lead time is not defined here (NaN).
 */
public final class Crossings {
    private Crossings() {
    }

    public static List<HorizonMetrics> score(Evaluator ev, List<PreparedSeries> prepared, String model,
                                             List<FittedForecaster> fitted) {
        int[] hs = ev.horizons();
        MetricsAccumulator[] acc = new MetricsAccumulator[hs.length];
        for (int k = 0; k < hs.length; k++) {
            acc[k] = new MetricsAccumulator(model, hs[k]);
        }
        for (int i = 0; i < prepared.size(); i++) {
            PreparedSeries p = prepared.get(i);
            Evaluator.SeriesForecasts sf = ev.forecast(p, fitted.get(i));
            double[] z = p.zAll();
            int testStart = p.split().testStart();
            int n = p.split().n();
            for (int kk = 0; kk < hs.length; kk++) {
                int first = testStart - 1;
                int last = n - 1 - hs[kk];
                if (last < first) {
                    continue;
                }
                int m = last - first + 1;
                double[] actual = new double[m];
                double[] fc = new double[m];
                double[] pr = new double[m];
                for (int j = 0; j < m; j++) {
                    int t = first + j;
                    double mx = Double.NEGATIVE_INFINITY;
                    for (int s = t + 1; s <= t + hs[kk]; s++) {
                        mx = Math.max(mx, z[s]);
                    }
                    actual[j] = mx;
                    double f = Double.NEGATIVE_INFINITY;
                    double q = 0;
                    for (int k = 0; k <= kk; k++) {
                        f = Math.max(f, sf.forecast()[k][t + hs[k] - testStart]);
                        q = Math.max(q, sf.probability()[k][t + hs[k] - testStart]);
                    }
                    fc[j] = f;
                    pr[j] = q;
                }
                acc[kk].addSeries(actual, fc, pr, p.threshold(), Evaluator.ALARM_CUT);
            }
        }
        List<HorizonMetrics> rows = new ArrayList<>();
        for (MetricsAccumulator a : acc) {
            HorizonMetrics r = a.result();
            rows.add(new HorizonMetrics(r.model(), r.horizon(), r.mae(), r.rmse(), r.mse(), r.precision(), r.recall(), r.f1(),
                r.events(), Double.NaN, r.brier(), r.targets(), r.positives()));
        }
        return rows;
    }
}
