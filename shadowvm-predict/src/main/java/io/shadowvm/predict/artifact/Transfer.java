package io.shadowvm.predict.artifact;

import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.data.Datasets;
import io.shadowvm.predict.eval.Crossings;
import io.shadowvm.predict.eval.Evaluator;
import io.shadowvm.predict.eval.HorizonMetrics;
import io.shadowvm.predict.eval.PreparedSeries;
import io.shadowvm.predict.model.FitContext;
import io.shadowvm.predict.model.FittedForecaster;
import io.shadowvm.predict.model.Forecaster;
import io.shadowvm.predict.rnn.RnnConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a model trained on some traces does on a trace it never saw, under the protocol. The held-out trace is
 * split, normalized and thresholded as always; the baselines are fitted on its train part (with its clock:
 * seasonal Holt-Winters and AR keep their daily terms) and the pretrained network is only bound to each
 * series' threshold. The network appears twice: {@code <kind>-shipped} with the artifact's own calibration
 * (what the controller uses), {@code <kind>-valcal} calibrated on the held-out validation part like the baselines.
 */
public final class Transfer {
    private Transfer() {
    }

    /**
     * One evaluated trace: the protocol's rows (event = above the threshold at t+h) and the crossing rows
     * (event = above it at some step within h, {@link Crossings}), baselines first.
     */
    public record Result(Evaluator.Report protocol, List<HorizonMetrics> crossings) {
    }

    /** Zero-shot rows for {@code artifact} on {@code ds}, after the baselines' rows. */
    public static Result evaluate(ModelArtifact artifact, Dataset ds, List<Forecaster> baselines, int[] horizons,
                                  double thresholdPercentile, Forecaster.ProgressListener progress) {
        return evaluate(artifact, ds, baselines, new Evaluator(horizons, thresholdPercentile), progress);
    }

    /** As above with a configured evaluator (e.g. {@link Evaluator#rawThreshold}). */
    public static Result evaluate(ModelArtifact artifact, Dataset ds, List<Forecaster> baselines, Evaluator ev,
                                  Forecaster.ProgressListener progress) {
        List<HorizonMetrics> rows = new ArrayList<>();
        List<HorizonMetrics> crossings = new ArrayList<>();
        Map<String, String> notes = new LinkedHashMap<>();
        Map<String, Double> secs = new LinkedHashMap<>();
        List<PreparedSeries> clocked = ev.prepare(ds);
        run(ev, clocked, baselines, progress, rows, crossings, notes, secs);
        Dataset own = artifact.manifest().inputs().stepSec() == 0 ? Datasets.withoutClock(ds) : ds;
        String kind = artifact.manifest().modelKind();
        run(ev, ev.prepare(own), List.of(new PretrainedForecaster(artifact, kind + "-shipped", true),
            new PretrainedForecaster(artifact, kind + "-valcal", false)), progress, rows, crossings, notes, secs);
        long targets = 0;
        for (PreparedSeries p : clocked) {
            targets += p.split().nTest();
        }
        return new Result(new Evaluator.Report(ds.name(), clocked.size(), ds.series().size() - clocked.size(), targets,
            rows, notes, secs), crossings);
    }

    private static void run(Evaluator ev, List<PreparedSeries> prepared, List<Forecaster> models,
                            Forecaster.ProgressListener progress, List<HorizonMetrics> rows, List<HorizonMetrics> crossings,
                            Map<String, String> notes, Map<String, Double> secs) {
        List<FitContext> contexts = new ArrayList<>();
        for (PreparedSeries p : prepared) {
            contexts.add(p.fitContext(ev.horizons()));
        }
        for (Forecaster m : models) {
            long t0 = System.nanoTime();
            List<FittedForecaster> fitted = m.fitAll(contexts, progress);
            secs.put(m.name(), (System.nanoTime() - t0) / 1e9);
            notes.put(m.name(), fitted.size() == 1 ? fitted.get(0).describe() : fitted.size() + " series, e.g. "
                + prepared.get(0).series().name() + ": " + fitted.get(0).describe());
            rows.addAll(ev.score(prepared, m.name(), fitted));
            crossings.addAll(Crossings.score(ev, prepared, m.name(), fitted));
        }
    }

    /**
     * Leave one dataset out: for each dataset, a step-free network trained on the union of the others (their
     * train and validation parts, clocks removed), then {@link #evaluate}d on the held-out one.
     */
    public static List<Result> leaveOneOut(List<Dataset> datasets, RnnConfig config, int[] horizons,
                                                     double thresholdPercentile, List<String> baselines,
                                                     Forecaster.ProgressListener progress, Consumer<String> log) {
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < datasets.size(); i++) {
            List<Dataset> others = new ArrayList<>(datasets);
            Dataset held = others.remove(i);
            Dataset union = Datasets.withoutClock(Datasets.union(others));
            ModelArtifact a = ModelArtifact.train(union, config, horizons, thresholdPercentile, progress);
            ModelManifest.Network n = a.manifest().network();
            log.accept(String.format(java.util.Locale.ROOT, "held out %s: trained on %s (%d series), %d epochs, best %d,"
                + " validation MSE %.3e, %.1f s", held.name(), union.name(), a.manifest().trainingData().seriesCount(),
                n.epochs(), n.bestEpoch(), n.validationMse(), n.trainSeconds()));
            List<Forecaster> bs = baselines.isEmpty() ? List.of() : io.shadowvm.predict.model.Models.baselines(String.join(",", baselines));
            out.add(evaluate(a, held, bs, horizons, thresholdPercentile, progress));
            a.model().net().close();
        }
        return out;
    }
}
