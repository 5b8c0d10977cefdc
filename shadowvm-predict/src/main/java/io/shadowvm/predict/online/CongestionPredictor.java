package io.shadowvm.predict.online;

import io.shadowvm.predict.PredictException;
import io.shadowvm.predict.artifact.ArtifactMismatchException;
import io.shadowvm.predict.artifact.ModelArtifact;
import io.shadowvm.predict.artifact.ModelManifest;
import io.shadowvm.predict.model.CongestionCalibrator;
import io.shadowvm.predict.model.ResidualCalibrator;
import io.shadowvm.predict.rnn.Features;
import io.shadowvm.predict.rnn.RecurrentModel;
import io.shadowvm.predict.rnn.RecurrentNet;
import java.util.Arrays;

/**
 * Scores thousands of paths per tick. Usage, from one thread:
 * <pre>
 *   CongestionPredictor p = new CongestionPredictor(ModelArtifact.load(dir), 300, 10_000);
 *   int slot = p.addPath(PathSpec.ofCapacity("h1-r1", 10e9, 0.8));
 *   every tick: p.update(epochSec, newestValues);   // values[slot], NaN when a sample is missing
 *               p.score();                           // one batched forward pass for all ready paths
 *               p.probability(slot, k), p.forecast(slot, k), p.source(slot)
 * </pre>
 * A path needs {@code window + lookBack} clean samples (no NaN) for the model; until then, or with a gap in
 * that span, it gets the fallback: persistence of its last sample, with {@code P = 1 - Phi((thr - f) / s_h)}
 * where {@code s_h} is the model's validation error spread. {@code update} and {@code score} allocate nothing
 * on the Java heap beyond DJL's per-batch arrays.
 */
public final class CongestionPredictor {
    private static final int CHUNK = 16_384;

    private final RecurrentModel model;
    private final int[] horizons;
    private final boolean exogenous;
    private final ModelManifest manifest;
    private final long tickSec;
    private final int maxPaths;
    private final int window;
    private final int need;
    private final int keep;
    private final int per;
    private final int hk;
    private final double[][] platt;
    private final double[] errStd;
    private final PathSpec[] specs;
    private final Features[] feats;
    private final double[][] ring;
    private final double[][] exoRing;
    private final Features.IndexedValues[] zView;
    private final Features.IndexedValues[] exoView;
    private final long[] count;
    private final long[] lastGap;
    private final double[] lastValid;
    private final double[][] prob;
    private final double[][] fc;
    private final ScoreSource[] source;
    private final float[] input;
    private final int[] batchSlots;
    private final float[] clockBuf;
    private final double[] batchLast;
    private final double[][] batchFc;
    private final double[][] batchProb;
    private int paths;
    private long latestEpochSec = -1;

    /**
     * @param tickSec  seconds between {@link #update} calls; must equal the model's step when it was trained
     *                 on a clocked series
     * @param maxPaths capacity (arrays are allocated once)
     */
    public CongestionPredictor(ModelArtifact artifact, long tickSec, int maxPaths) {
        this(artifact.manifest(), artifact.model(), tickSec, maxPaths);
    }

    /**
     * A predictor without the network (it could not be loaded): every path with data gets the baseline, persistence
     * with the manifest's validation error spread, and {@link ScoreSource#FALLBACK_NO_ENGINE}.
     */
    public static CongestionPredictor baselineOnly(ModelManifest manifest, long tickSec, int maxPaths) {
        return new CongestionPredictor(manifest, null, tickSec, maxPaths);
    }

    private CongestionPredictor(ModelManifest manifest, RecurrentModel model, long tickSec, int maxPaths) {
        this.model = model;
        this.manifest = manifest;
        long step = manifest.inputs().stepSec();
        if (step > 0 && tickSec != step) {
            throw new ArtifactMismatchException("tick of " + tickSec + " s (expected: " + step
                + " s, the step the model was trained on)");
        }
        if (maxPaths < 1 || maxPaths > 10_000_000) {
            throw new PredictException("maxPaths " + maxPaths + " (expected: 1-10000000)");
        }
        this.tickSec = tickSec;
        this.maxPaths = maxPaths;
        this.horizons = manifest.horizons().clone();
        this.exogenous = manifest.inputs().exogenous();
        this.window = manifest.inputs().window();
        this.hk = horizons.length;
        int maxH = horizons[hk - 1];
        int lookBack = new Features(0, step, manifest.inputs().dailyPeriod(), maxH, 0, false).lookBack();
        this.need = window + lookBack;
        this.keep = need + 1;
        this.per = window * manifest.inputs().channels();
        this.platt = new double[hk][];
        for (int k = 0; k < hk; k++) {
            platt[k] = new double[] {manifest.calibration().plattA()[k], manifest.calibration().plattB()[k]};
        }
        this.errStd = manifest.calibration().validationErrorStd();
        specs = new PathSpec[maxPaths];
        feats = new Features[maxPaths];
        ring = new double[maxPaths][];
        exoRing = new double[maxPaths][];
        zView = new Features.IndexedValues[maxPaths];
        exoView = new Features.IndexedValues[maxPaths];
        count = new long[maxPaths];
        lastGap = new long[maxPaths];
        lastValid = new double[maxPaths];
        prob = new double[maxPaths][hk];
        fc = new double[maxPaths][hk];
        source = new ScoreSource[maxPaths];
        int chunk = Math.min(CHUNK, maxPaths);
        input = new float[chunk * per];
        batchSlots = new int[maxPaths];
        clockBuf = new float[window * 4];
        batchLast = new double[chunk];
        batchFc = new double[hk][chunk];
        batchProb = new double[hk][chunk];
    }

    public int[] horizons() {
        return horizons.clone();
    }

    /** False when the network could not be loaded and every score is the baseline's. */
    public boolean hasNetwork() {
        return model != null;
    }

    public int paths() {
        return paths;
    }

    /** Registers a path; returns its slot (the index into {@link #update}'s values). */
    public int addPath(PathSpec spec) {
        if (paths == maxPaths) {
            throw new PredictException("path " + spec.name() + ": " + maxPaths + " paths registered (expected: at most "
                + maxPaths + ")");
        }
        int s = paths++;
        double thr = spec.threshold();
        specs[s] = spec;
        boolean clock = manifest.inputs().clock();
        feats[s] = new Features(clock ? 0 : -1, manifest.inputs().stepSec(), manifest.inputs().dailyPeriod(),
            horizons[hk - 1], thr, exogenous);
        double[] r = new double[keep];
        double[] e = new double[keep];
        ring[s] = r;
        exoRing[s] = e;
        zView[s] = i -> r[(int) (i % keep)];
        exoView[s] = i -> e[(int) (i % keep)];
        lastGap[s] = -1;
        lastValid[s] = Double.NaN;
        source[s] = ScoreSource.NO_DATA;
        return s;
    }

    /** The newest raw sample of every path ({@code values[slot]}; NaN when missing); advances one tick. */
    public void update(long epochSec, double[] values) {
        if (values.length < paths) {
            throw new PredictException("update with " + values.length + " values (expected: at least " + paths + ")");
        }
        latestEpochSec = epochSec;
        double sum = 0;
        int valid = 0;
        for (int s = 0; s < paths; s++) {
            double v = values[s];
            if (!Double.isNaN(v)) {
                PathSpec p = specs[s];
                sum += (v - p.min()) / (p.max() - p.min());
                valid++;
            }
        }
        for (int s = 0; s < paths; s++) {
            double v = values[s];
            long i = count[s];
            double z = Double.NaN;
            if (Double.isNaN(v)) {
                lastGap[s] = i;
            } else {
                PathSpec p = specs[s];
                z = (v - p.min()) / (p.max() - p.min());
                lastValid[s] = z;
            }
            ring[s][(int) (i % keep)] = z;
            double others = Double.isNaN(z) ? (valid > 0 ? sum / valid : 0) : (valid > 1 ? (sum - z) / (valid - 1) : z);
            exoRing[s][(int) (i % keep)] = others;
            count[s] = i + 1;
        }
    }

    /** Scores every registered path: one batched forward pass for the ready ones, the fallback for the rest. */
    public void score() {
        int nb = 0;
        for (int s = 0; s < paths; s++) {
            long c = count[s];
            if (c == 0 || Double.isNaN(lastValid[s])) {
                source[s] = ScoreSource.NO_DATA;
                Arrays.fill(prob[s], 0);
                Arrays.fill(fc[s], Double.NaN);
            } else if (model == null) {
                fallback(s, ScoreSource.FALLBACK_NO_ENGINE);
            } else if (c < need) {
                fallback(s, ScoreSource.FALLBACK_SHORT_HISTORY);
            } else if (lastGap[s] >= c - need) {
                fallback(s, ScoreSource.FALLBACK_GAPPY_HISTORY);
            } else {
                batchSlots[nb++] = s;
            }
        }
        int chunk = batchLast.length;
        RecurrentNet net = model == null ? null : model.net();
        boolean clock = manifest.inputs().clock() && nb > 0;
        if (clock) {
            feats[batchSlots[0]].clockChannels(latestEpochSec, window, clockBuf);
        }
        for (int b0 = 0; b0 < nb; b0 += chunk) {
            int bs = Math.min(chunk, nb - b0);
            for (int i = 0; i < bs; i++) {
                int s = batchSlots[b0 + i];
                long t = count[s] - 1;
                feats[s].fillShared(input, i * per, window, t, zView[s], model.exogenous() ? exoView[s] : null,
                    clock ? clockBuf : null);
                batchLast[i] = ring[s][(int) (t % keep)];
            }
            float[] out = net.infer(bs == chunk ? input : Arrays.copyOf(input, bs * per), bs);
            model.decode(out, bs, batchLast, batchFc, batchProb, 0);
            for (int i = 0; i < bs; i++) {
                int s = batchSlots[b0 + i];
                PathSpec p = specs[s];
                for (int k = 0; k < hk; k++) {
                    prob[s][k] = CongestionCalibrator.plattApply(platt[k], batchProb[k][i]);
                    fc[s][k] = p.min() + batchFc[k][i] * (p.max() - p.min());
                }
                source[s] = ScoreSource.MODEL;
            }
        }
    }

    private void fallback(int s, ScoreSource why) {
        PathSpec p = specs[s];
        double z = lastValid[s];
        for (int k = 0; k < hk; k++) {
            double sd = errStd[k] > 0 ? errStd[k] : 1e-6;
            prob[s][k] = 1 - ResidualCalibrator.normalCdf((p.threshold() - z) / sd);
            fc[s][k] = p.min() + z * (p.max() - p.min());
        }
        source[s] = why;
    }

    public double probability(int slot, int k) {
        return prob[slot][k];
    }

    public double forecast(int slot, int k) {
        return fc[slot][k];
    }

    public ScoreSource source(int slot) {
        return source[slot];
    }

    /** A copy of one path's latest score (allocates; for APIs and tests, not for the per-tick loop). */
    public CongestionScore scoreOf(int slot) {
        return new CongestionScore(specs[slot].name(), horizons.clone(), prob[slot].clone(), fc[slot].clone(),
            source[slot]);
    }
}
