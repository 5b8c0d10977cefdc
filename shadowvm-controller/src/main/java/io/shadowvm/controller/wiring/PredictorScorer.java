package io.shadowvm.controller.wiring;

import io.shadowvm.controller.loop.CongestionScorer;
import io.shadowvm.core.topology.Link;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.predict.artifact.ModelArtifact;
import io.shadowvm.predict.artifact.ModelManifest;
import io.shadowvm.predict.artifact.ShippedModel;
import io.shadowvm.predict.online.CongestionPredictor;
import io.shadowvm.predict.online.PathSpec;
import io.shadowvm.predict.rnn.EngineUnavailableException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The loop's scorer on shadowvm-predict's online {@link CongestionPredictor}: every topology link is a path
 * (utilization in [0, 1], congested above {@code thresholdShare}); the newest sample of each link since the
 * previous step is fed once per {@code tickSec} (NaN when a link sent nothing), then all paths are scored in
 * one batch. A link's score is the probability that it crosses the threshold within the model's largest
 * horizon, taken as the largest of the calibrated per-horizon probabilities {@code P(u[t+h] > thr)} (a lower
 * bound of the crossing probability). Paths with too little history get the predictor's own fallback
 * (persistence with the model's error spread); so does every path when PyTorch cannot load here.
 *
 * <p>{@link #shipped} is the controller's default: the step-free model in shadowvm-predict's jar
 * ({@link ShippedModel}), valid at any tick, fed once a second.
 */
public final class PredictorScorer implements CongestionScorer {
    /** Congested above this share of capacity (DESIGN 4.4). */
    public static final double DEFAULT_THRESHOLD = 0.8;

    private final CongestionPredictor predictor;
    private final Map<String, Integer> slots = new HashMap<>();
    private final double[] latest;
    private final double[] lastSeen;
    private final long tickMs;
    private final int horizons;
    private final String modelName;
    private long lastUpdateMs = Long.MIN_VALUE;

    public PredictorScorer(CongestionPredictor predictor, Topology topology, double thresholdShare, long tickSec,
                           String modelName) {
        this.predictor = predictor;
        this.tickMs = tickSec * 1000;
        this.horizons = predictor.horizons().length;
        this.modelName = modelName;
        for (Link l : topology.links()) {
            slots.put(l.name(), predictor.addPath(PathSpec.ofCapacity(l.name(), 1.0, thresholdShare)));
        }
        latest = new double[predictor.paths()];
        lastSeen = new double[predictor.paths()];
        Arrays.fill(latest, Double.NaN);
        Arrays.fill(lastSeen, Double.NaN);
    }

    /** The controller's default: the shipped step-free model, threshold 0.8, fed every 1 s. */
    public static PredictorScorer shipped(Topology topology) {
        return open(ShippedModel::load, ShippedModel::manifest, ShippedModel.describe(), topology, DEFAULT_THRESHOLD, 1);
    }

    /** Loads a model artifact directory (as written by {@code shadowvm predict train}) for {@code topology}. */
    public static PredictorScorer load(Path modelDir, Topology topology, double thresholdShare, long tickSec) {
        return open(() -> ModelArtifact.load(modelDir), () -> ModelArtifact.readManifest(modelDir), modelDir.toString(),
            topology, thresholdShare, tickSec);
    }

    /**
     * The network from {@code network}; when the engine cannot start, one line on stderr says why and every path
     * is scored by the baseline (persistence with the manifest's error spread). A bad artifact is not a reason to
     * fall back: its {@code ArtifactMismatchException} reaches the caller.
     */
    static PredictorScorer open(Supplier<ModelArtifact> network, Supplier<ModelManifest> manifest, String name,
                                Topology topology, double thresholdShare, long tickSec) {
        int n = Math.max(1, topology.links().size());
        CongestionPredictor p;
        try {
            p = new CongestionPredictor(network.get(), tickSec, n);
        } catch (EngineUnavailableException | LinkageError e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
            System.err.println("shadowvm controller: predictor " + name + " without its network, scoring links by"
                + " persistence with the model's error spread: " + why);
            p = CongestionPredictor.baselineOnly(manifest.get(), tickSec, n);
        }
        return new PredictorScorer(p, topology, thresholdShare, tickSec, name);
    }

    /** False when the network could not be loaded (every score is the baseline's). */
    public boolean hasNetwork() {
        return predictor.hasNetwork();
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
        // a quarter tick of slack: a loop tick that comes a few ms early still feeds the predictor
        if (lastUpdateMs == Long.MIN_VALUE || nowMs - lastUpdateMs >= tickMs - tickMs / 4) {
            lastUpdateMs = nowMs;
            predictor.update(nowMs / 1000, latest);
            predictor.score();
            Arrays.fill(latest, Double.NaN);
        }
        Integer s = slots.get(link);
        if (s == null) {
            return 0;
        }
        double p = 0;
        for (int k = 0; k < horizons; k++) {
            p = Math.max(p, predictor.probability(s, k));
        }
        return p;
    }

    @Override
    public double lastUtilization(String link) {
        Integer s = slots.get(link);
        return s == null ? Double.NaN : lastSeen[s];
    }

    @Override
    public String describe() {
        int[] hs = predictor.horizons();
        return "shadowvm-predict CongestionPredictor (model " + modelName + (predictor.hasNetwork() ? "" : ", NO NETWORK:"
            + " persistence fallback") + ", P(cross the threshold within " + hs[hs.length - 1] + " ticks of " + tickMs
            + " ms))";
    }
}
