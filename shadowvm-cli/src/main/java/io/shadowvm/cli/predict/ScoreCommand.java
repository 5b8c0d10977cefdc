package io.shadowvm.cli.predict;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowvm.predict.PredictException;
import io.shadowvm.predict.artifact.ModelArtifact;
import io.shadowvm.predict.artifact.ModelManifest;
import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.data.Series;
import io.shadowvm.predict.eval.MinMax;
import io.shadowvm.predict.eval.Percentile;
import io.shadowvm.predict.eval.Split;
import io.shadowvm.predict.online.CongestionPredictor;
import io.shadowvm.predict.online.CongestionScore;
import io.shadowvm.predict.online.PathSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shadowvm predict score}: replays a trace through the online {@code CongestionPredictor} with a saved
 * model and prints every series' congestion score after its last sample. A series the model was trained on
 * keeps that normalization and threshold; any other series is normalized on its own first 70% and gets the
 * P-th percentile threshold (P from the manifest).
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Score the newest point of every series of a trace with a saved model (online predictor).")
public final class ScoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory from 'predict train'.")
    Path modelDir;

    @Option(names = "--data", required = true, paramLabel = "FILE_OR_DATASET", description = "CSV file or dataset name.")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the shipped datasets are.")
    Path dataDir;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        ModelArtifact a = ModelArtifact.load(modelDir);
        ModelManifest m = a.manifest();
        Dataset ds = io.shadowvm.predict.data.Datasets.load(data, dataDir);
        long step = ds.series().get(0).stepSec();
        long modelStep = m.inputs().stepSec();
        if (modelStep > 0 && step != modelStep) {
            throw new PredictException("--data " + data + ": step " + step + " s (expected: " + modelStep
                + " s, the step model " + modelDir + " was trained on)");
        }
        long tick = modelStep > 0 ? modelStep : Math.max(1, step);
        List<Series> series = ds.series();
        CongestionPredictor p = new CongestionPredictor(a, tick, series.size());
        Map<String, ModelManifest.SeriesNorm> known = new HashMap<>();
        for (ModelManifest.SeriesNorm n : m.series()) {
            known.put(n.name(), n);
        }
        double pct = m.series().get(0).thresholdPercentile();
        int longest = 0;
        for (Series s : series) {
            ModelManifest.SeriesNorm n = known.get(s.name());
            PathSpec ps;
            if (n != null) {
                ps = new PathSpec(s.name(), n.min(), n.max() > n.min() ? n.max() : n.min() + 1, n.threshold());
            } else {
                int nTrain = Split.of(s.length()).nTrain();
                MinMax mm = MinMax.fit(s.values(), nTrain);
                double thr = Percentile.of(mm.apply(s.values()), nTrain, pct);
                ps = new PathSpec(s.name(), mm.min(), mm.min() + mm.range(), thr);
            }
            p.addPath(ps);
            longest = Math.max(longest, s.length());
        }
        double[] tickValues = new double[series.size()];
        long start = series.get(0).hasClock() ? series.get(0).epochSecAt(series.get(0).length() - longest) : 0;
        for (int i = 0; i < longest; i++) {
            for (int j = 0; j < series.size(); j++) {
                Series s = series.get(j);
                int idx = i - (longest - s.length()); // align every series on its newest sample
                tickValues[j] = idx >= 0 ? s.values()[idx] : Double.NaN;
            }
            p.update(start + i * tick, tickValues);
        }
        p.score();
        PrintWriter out = spec.commandLine().getOut();
        int[] hs = p.horizons();
        if (json) {
            ObjectMapper om = new ObjectMapper();
            ArrayNode arr = om.createArrayNode();
            for (int j = 0; j < series.size(); j++) {
                CongestionScore cs = p.scoreOf(j);
                ObjectNode o = arr.addObject();
                o.put("series", cs.path());
                o.put("source", cs.source().name());
                ArrayNode hz = o.putArray("horizons");
                for (int k = 0; k < hs.length; k++) {
                    ObjectNode h = hz.addObject();
                    h.put("horizon", hs[k]);
                    h.put("probability", cs.probability()[k]);
                    if (Double.isFinite(cs.forecast()[k])) {
                        h.put("forecast", cs.forecast()[k]);
                    } else {
                        h.putNull("forecast");
                    }
                }
            }
            try {
                out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-20s %-24s", "series", "source"));
            for (int h : hs) {
                head.append(String.format(Locale.ROOT, " %9s %12s", "P(h=" + h + ")", "forecast"));
            }
            out.println(head);
            for (int j = 0; j < series.size(); j++) {
                CongestionScore cs = p.scoreOf(j);
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-20s %-24s", cs.path(), cs.source()));
                for (int k = 0; k < hs.length; k++) {
                    row.append(String.format(Locale.ROOT, " %9.3f %12.4g", cs.probability()[k], cs.forecast()[k]));
                }
                out.println(row);
            }
        }
        out.flush();
        return 0;
    }
}
