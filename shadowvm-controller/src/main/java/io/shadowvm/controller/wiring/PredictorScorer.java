package io.shadowvm.controller.wiring;

import io.shadowvm.controller.loop.CongestionScorer;
import io.shadowvm.core.topology.Link;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.predict.artifact.ModelArtifact;
import io.shadowvm.predict.online.CongestionPredictor;
import io.shadowvm.predict.online.PathSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The loop's scorer on shadowvm-predict's online {@link CongestionPredictor}: every topology link is a path
 * (utilization in [0, 1], congested above {@code thresholdShare}); the newest sample of each link since the
 * previous step is fed once per {@code tickSec} (NaN when a link sent nothing), then all paths are scored
 * in one batch, and a link's score is the model's calibrated probability at the chosen horizon. Paths with
 * too little history get the predictor's own fallback (persistence with the model's error spread).
 */
public final class PredictorScorer implements CongestionScorer {
    private final CongestionPredictor predictor;
    private final Map<String, Integer> slots = new HashMap<>();
    private final double[] latest;
    private final double[] lastSeen;
    private final long tickMs;
    private final int horizonIndex;
    private final String modelDir;
    private long lastUpdateMs = Long.MIN_VALUE;

    public PredictorScorer(CongestionPredictor predictor, Topology topology, double thresholdShare, long tickSec,
                           int horizonIndex, String modelDir) {
        this.predictor = predictor;
        this.tickMs = tickSec * 1000;
        this.horizonIndex = horizonIndex;
        this.modelDir = modelDir;
        for (Link l : topology.links()) {
            slots.put(l.name(), predictor.addPath(PathSpec.ofCapacity(l.name(), 1.0, thresholdShare)));
        }
        latest = new double[predictor.paths()];
        lastSeen = new double[predictor.paths()];
        Arrays.fill(latest, Double.NaN);
        Arrays.fill(lastSeen, Double.NaN);
    }

    /** Loads a model artifact directory (as written by {@code shadowvm predict train}) for {@code topology}. */
    public static PredictorScorer load(Path modelDir, Topology topology, double thresholdShare, long tickSec) {
        CongestionPredictor p = new CongestionPredictor(ModelArtifact.load(modelDir), tickSec,
            topology.links().size());
        return new PredictorScorer(p, topology, thresholdShare, tickSec, 0, modelDir.toString());
    }

    @Override
    public void observe(String link, long atMs, double utilization) {
        Integer s = slots.get(link);
        if (s != null) {
            latest[s] = utilization;
            lastSeen[s] = utilization;
        }
    }

    @Override
    public double score(String link, long nowMs) {
        if (lastUpdateMs == Long.MIN_VALUE || nowMs - lastUpdateMs >= tickMs) {
            lastUpdateMs = nowMs;
            predictor.update(nowMs / 1000, latest);
            predictor.score();
            Arrays.fill(latest, Double.NaN);
        }
        Integer s = slots.get(link);
        return s == null ? 0 : predictor.probability(s, horizonIndex);
    }

    @Override
    public double lastUtilization(String link) {
        Integer s = slots.get(link);
        return s == null ? Double.NaN : lastSeen[s];
    }

    @Override
    public String describe() {
        return "shadowvm-predict CongestionPredictor (model " + modelDir + ", horizon "
            + predictor.horizons()[horizonIndex] + " steps)";
    }
}
