package io.shadowvm.predict.eval;

import io.shadowvm.predict.PredictException;
import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.data.Series;
import io.shadowvm.predict.model.BatchForecaster;
import io.shadowvm.predict.model.FitContext;
import io.shadowvm.predict.model.FittedForecaster;
import io.shadowvm.predict.model.Forecaster;
import io.shadowvm.predict.model.OnlineState;
import io.shadowvm.predict.model.PreCalibrated;
import io.shadowvm.predict.model.CongestionCalibrator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the protocol for a dataset and a list of models. Per series: fit on the train+validation prefix,
 * then one pass over the whole series where the model sees {@code z[t]} and forecasts {@code z[t+h]};
 * validation-target errors feed the {@link CongestionCalibrator}, test targets are scored. Results are pooled
 * over the dataset's series. Series with a constant training part are skipped (and counted).
 */
public final class Evaluator {
    /** Alarm when the calibrated probability exceeds this (protocol default). */
    public static final double ALARM_CUT = 0.5;

    private final int[] horizons;
    private final double thresholdPercentile;
    private boolean pooledNormalization;
    private double rawThreshold = Double.NaN;

    public Evaluator(int[] horizons, double thresholdPercentile) {
        if (horizons.length == 0) {
            throw new PredictException("no horizons (expected: at least one of 1..288)");
        }
        for (int h : horizons) {
            if (h < 1 || h > 288) {
                throw new PredictException("horizon " + h + " (expected: 1-288)");
            }
        }
        if (!(thresholdPercentile > 0 && thresholdPercentile < 100)) {
            throw new PredictException("threshold percentile " + thresholdPercentile + " (expected: 0 < P < 100)");
        }
        this.horizons = horizons.clone();
        java.util.Arrays.sort(this.horizons);
        this.thresholdPercentile = thresholdPercentile;
    }

    /**
     * Normalize every series with one min-max over the training parts of all series (instead of per series),
     * as some traffic-matrix papers do; only for comparisons with them. Returns this.
     */
    public Evaluator pooledNormalization(boolean on) {
        this.pooledNormalization = on;
        return this;
    }

    /**
     * A fixed congestion threshold in the series' raw units (e.g. 0.8 for utilization as a share of capacity: the
     * controller's threshold) instead of the P-th percentile of each training part; NaN turns it off. A
     * deviation from the protocol for series where a percentile is meaningless (a link that sits at capacity
     * more than 10 % of the time has P90 = its maximum, and nothing is ever strictly above it). Returns this.
     */
    public Evaluator rawThreshold(double value) {
        this.rawThreshold = value;
        return this;
    }

    /** The result of one dataset: rows in model order then horizon order. */
    public record Report(String dataset, int seriesUsed, int seriesSkipped, long testTargetsPerHorizon,
                         List<HorizonMetrics> rows, Map<String, String> modelNotes, Map<String, Double> fitSeconds) {
    }

    public List<PreparedSeries> prepare(Dataset ds) {
        List<PreparedSeries> out = new ArrayList<>();
        MinMax pooled = null;
        if (pooledNormalization) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Series s : ds.series()) {
                if (s.length() >= Split.MIN_LENGTH) {
                    MinMax m = MinMax.fit(s.values(), Split.of(s.length()).nTrain());
                    lo = Math.min(lo, m.min());
                    hi = Math.max(hi, m.max());
                }
            }
            pooled = new MinMax(lo, hi);
        }
        for (Series s : ds.series()) {
            if (s.length() < Split.MIN_LENGTH) {
                continue;
            }
            if (pooled != null && MinMax.fit(s.values(), Split.of(s.length()).nTrain()).degenerate()) {
                continue;
            }
            PreparedSeries p = new PreparedSeries(s, thresholdPercentile, pooled, rawThreshold);
            if (p.normalization().degenerate() || p.split().nTrain() < 2 * horizons[horizons.length - 1]) {
                continue;
            }
            out.add(p);
        }
        attachExogenous(out);
        if (out.isEmpty()) {
            throw new PredictException("dataset " + ds.name() + ": no series with a non-constant training part of at least "
                + 2 * horizons[horizons.length - 1] + " points");
        }
        return out;
    }

    /**
     * When several series share one clock and length, each gets the mean of the OTHER series' normalized
     * values as its exogenous input (e.g. the other flows of a network). Causal: index i reads index i only.
     */
    static void attachExogenous(List<PreparedSeries> ps) {
        if (ps.size() < 2) {
            return;
        }
        int n = ps.get(0).split().n();
        for (PreparedSeries p : ps) {
            if (p.split().n() != n || p.series().startEpochSec() != ps.get(0).series().startEpochSec()) {
                return;
            }
        }
        double[] sum = new double[n];
        for (PreparedSeries p : ps) {
            double[] z = p.zAll();
            for (int i = 0; i < n; i++) {
                sum[i] += z[i];
            }
        }
        for (PreparedSeries p : ps) {
            double[] z = p.zAll();
            double[] exo = new double[n];
            for (int i = 0; i < n; i++) {
                exo[i] = (sum[i] - z[i]) / (ps.size() - 1);
            }
            p.exogenous(exo);
        }
    }

    public Report evaluate(Dataset ds, List<Forecaster> models, Forecaster.ProgressListener progress) {
        List<PreparedSeries> prepared = prepare(ds);
        List<FitContext> contexts = new ArrayList<>();
        for (PreparedSeries p : prepared) {
            contexts.add(p.fitContext(horizons));
        }
        List<HorizonMetrics> rows = new ArrayList<>();
        Map<String, String> notes = new LinkedHashMap<>();
        Map<String, Double> fitSeconds = new LinkedHashMap<>();
        long targets = 0;
        for (PreparedSeries p : prepared) {
            targets += p.split().nTest();
        }
        for (Forecaster model : models) {
            long t0 = System.nanoTime();
            List<FittedForecaster> fitted = model.fitAll(contexts, progress);
            fitSeconds.put(model.name(), (System.nanoTime() - t0) / 1e9);
            notes.put(model.name(), fitted.size() == 1 ? fitted.get(0).describe() : fitted.size() + " series, e.g. "
                + prepared.get(0).series().name() + ": " + fitted.get(0).describe());
            rows.addAll(score(prepared, model.name(), fitted));
        }
        return new Report(ds.name(), prepared.size(), ds.series().size() - prepared.size(), targets, rows, notes, fitSeconds);
    }

    /** Scores fitted models (one per prepared series) on the test parts, pooled. */
    public List<HorizonMetrics> score(List<PreparedSeries> prepared, String modelName, List<FittedForecaster> fitted) {
        MetricsAccumulator[] acc = new MetricsAccumulator[horizons.length];
        for (int k = 0; k < horizons.length; k++) {
            acc[k] = new MetricsAccumulator(modelName, horizons[k]);
        }
        for (int i = 0; i < prepared.size(); i++) {
            score(prepared.get(i), fitted.get(i), acc);
        }
        List<HorizonMetrics> rows = new ArrayList<>();
        for (MetricsAccumulator a : acc) {
            rows.add(a.result());
        }
        return rows;
    }

    /** Validation-target pairs of a batch model: {@code [k][i]} forecast, raw probability, actual. */
    public record ValidationPairs(double[][] forecast, double[][] rawProbability, double[][] actual) {
    }

    public ValidationPairs validationPairs(PreparedSeries p, BatchForecaster f) {
        Split sp = p.split();
        int hk = horizons.length;
        int from = Math.max(0, sp.nTrain() - horizons[hk - 1]);
        BatchForecaster.Result r = f.forecastOrigins(p.zAll(), p.exogenousAll(), from, sp.testStart() - 1);
        double[][] fc = new double[hk][sp.nVal()];
        double[][] raw = new double[hk][sp.nVal()];
        double[][] act = new double[hk][sp.nVal()];
        int[] c = new int[hk];
        for (int t = from; t < sp.testStart() - 1; t++) {
            for (int k = 0; k < hk; k++) {
                int tau = t + horizons[k];
                if (tau >= sp.nTrain() && tau < sp.testStart()) {
                    fc[k][c[k]] = r.forecast()[k][t - from];
                    raw[k][c[k]] = r.rawProbability() == null ? 0 : r.rawProbability()[k][t - from];
                    act[k][c[k]++] = p.zAll()[tau];
                }
            }
        }
        for (int k = 0; k < hk; k++) {
            fc[k] = java.util.Arrays.copyOf(fc[k], c[k]);
            raw[k] = java.util.Arrays.copyOf(raw[k], c[k]);
            act[k] = java.util.Arrays.copyOf(act[k], c[k]);
        }
        return new ValidationPairs(fc, raw, act);
    }

    /** Forecasts of one series: {@code f[k][i]} for test target {@code testStart + i}, and the calibrator. */
    public record SeriesForecasts(double[][] forecast, double[][] probability, CongestionCalibrator calibrator) {
    }

    public SeriesForecasts forecast(PreparedSeries p, FittedForecaster f) {
        double[] z = p.zAll();
        Split sp = p.split();
        int testStart = sp.testStart();
        int nTest = sp.nTest();
        int hk = horizons.length;
        double[][] fc = new double[hk][nTest];
        double[][] valF = new double[hk][sp.nVal()];
        double[][] valA = new double[hk][sp.nVal()];
        int[] rc = new int[hk];
        int firstOrigin = Math.max(0, sp.nTrain() - horizons[hk - 1]);
        double[][] rawP = new double[hk][nTest];
        double[][] valRawP = new double[hk][sp.nVal()];
        boolean hasRaw = false;
        if (f instanceof BatchForecaster bf) {
            BatchForecaster.Result br = bf.forecastOrigins(z, p.exogenousAll(), firstOrigin, sp.n() - 1);
            hasRaw = br.rawProbability() != null;
            for (int t = firstOrigin; t < sp.n() - 1; t++) {
                for (int k = 0; k < hk; k++) {
                    double raw = hasRaw ? br.rawProbability()[k][t - firstOrigin] : 0;
                    collect(sp, z, t, k, br.forecast()[k][t - firstOrigin], raw, valF, valA, valRawP, rc, fc, rawP);
                }
            }
        } else {
            OnlineState s = f.start();
            double[] out = new double[hk];
            for (int t = 0; t < sp.n(); t++) {
                s.observe(z[t]);
                if (t < firstOrigin) {
                    continue;
                }
                s.forecast(out);
                for (int k = 0; k < hk; k++) {
                    collect(sp, z, t, k, out[k], 0, valF, valA, valRawP, rc, fc, rawP);
                }
            }
        }
        for (int k = 0; k < hk; k++) {
            valF[k] = java.util.Arrays.copyOf(valF[k], rc[k]);
            valA[k] = java.util.Arrays.copyOf(valA[k], rc[k]);
        }
        CongestionCalibrator cal = CongestionCalibrator.fit(valF, valA, p.threshold());
        double[][] prob = new double[hk][nTest];
        double[][] platt = new double[hk][];
        boolean[] useHead = new boolean[hk];
        if (hasRaw) {
            for (int k = 0; k < hk; k++) {
                valRawP[k] = java.util.Arrays.copyOf(valRawP[k], rc[k]);
                platt[k] = CongestionCalibrator.plattFit(valRawP[k], valA[k], p.threshold());
                // the model's own probability head, or its forecast through the error distribution: whichever
                // has the lower validation Brier score
                double bHead = 0;
                double bResid = 0;
                for (int i = 0; i < rc[k]; i++) {
                    double y = valA[k][i] > p.threshold() ? 1 : 0;
                    double ph = CongestionCalibrator.plattApply(platt[k], valRawP[k][i]) - y;
                    double pr = cal.probability(k, valF[k][i]) - y;
                    bHead += ph * ph;
                    bResid += pr * pr;
                }
                useHead[k] = bHead < bResid;
            }
        }
        PreCalibrated own = hasRaw && f instanceof PreCalibrated pc ? pc : null;
        for (int k = 0; k < hk; k++) {
            for (int i = 0; i < nTest; i++) {
                prob[k][i] = own != null ? own.calibrated(k, rawP[k][i]) : useHead[k] ? CongestionCalibrator.plattApply(platt[k], rawP[k][i]) : cal.probability(k, fc[k][i]);
            }
        }
        return new SeriesForecasts(fc, prob, cal);
    }

    private void collect(Split sp, double[] z, int t, int k, double forecast, double raw, double[][] valF, double[][] valA,
                         double[][] valRawP, int[] rc, double[][] fc, double[][] rawP) {
        int tau = t + horizons[k];
        if (tau >= sp.nTrain() && tau < sp.testStart()) {
            valF[k][rc[k]] = forecast;
            valRawP[k][rc[k]] = raw;
            valA[k][rc[k]++] = z[tau];
        } else if (tau >= sp.testStart() && tau < sp.n()) {
            fc[k][tau - sp.testStart()] = forecast;
            rawP[k][tau - sp.testStart()] = raw;
        }
    }

    private void score(PreparedSeries p, FittedForecaster f, MetricsAccumulator[] acc) {
        SeriesForecasts sf = forecast(p, f);
        double[] z = p.zAll();
        int testStart = p.split().testStart();
        double[] actual = java.util.Arrays.copyOfRange(z, testStart, p.split().n());
        for (int k = 0; k < horizons.length; k++) {
            acc[k].addSeries(actual, sf.forecast()[k], sf.probability()[k], p.threshold(), ALARM_CUT);
        }
    }

    public int[] horizons() {
        return horizons.clone();
    }
}
