package io.shadowvm.predict.artifact;

import io.shadowvm.predict.model.BatchForecaster;
import io.shadowvm.predict.model.CongestionCalibrator;
import io.shadowvm.predict.model.FitContext;
import io.shadowvm.predict.model.FittedForecaster;
import io.shadowvm.predict.model.Forecaster;
import io.shadowvm.predict.model.OnlineState;
import io.shadowvm.predict.model.PreCalibrated;
import io.shadowvm.predict.rnn.Features;
import io.shadowvm.predict.rnn.RecurrentFitted;
import java.util.Arrays;

/**
 * A trained artifact used as it is on series it was not trained on: "fitting" only binds the network to the
 * series' threshold (and clock, for a clocked model), nothing is learned from the series. With
 * {@code shippedCalibration} the probabilities are the artifact's own pooled Platt calibration (what the
 * controller gets); without it the evaluator calibrates on the series' validation part as for any model.
 */
public final class PretrainedForecaster implements Forecaster {
    private final ModelArtifact artifact;
    private final String name;
    private final boolean shippedCalibration;

    public PretrainedForecaster(ModelArtifact artifact, String name, boolean shippedCalibration) {
        this.artifact = artifact;
        this.name = name;
        this.shippedCalibration = shippedCalibration;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FittedForecaster fit(FitContext ctx) {
        ModelManifest.Inputs in = artifact.manifest().inputs();
        int[] hs = artifact.model().horizons();
        if (!Arrays.equals(hs, ctx.horizons())) {
            throw new ArtifactMismatchException("horizons " + Arrays.toString(ctx.horizons()) + " (expected: "
                + Arrays.toString(hs) + ", the model's outputs)");
        }
        if (in.stepSec() > 0 && ctx.stepSec() != in.stepSec()) {
            throw new ArtifactMismatchException("series " + ctx.seriesName() + ": step " + ctx.stepSec() + " s (expected: "
                + in.stepSec() + " s, the step the model was trained on)");
        }
        Features f = new Features(in.clock() ? ctx.startEpochSec() : -1, in.stepSec(), in.dailyPeriod(), hs[hs.length - 1],
            ctx.threshold(), artifact.model().exogenous());
        RecurrentFitted rf = new RecurrentFitted(artifact.model(), f, null);
        if (!shippedCalibration) {
            return rf;
        }
        ModelManifest.Calibration c = artifact.manifest().calibration();
        return new Shipped(rf, c.plattA(), c.plattB());
    }

    /** The network with the artifact's calibration. */
    private record Shipped(RecurrentFitted rf, double[] a, double[] b)
        implements FittedForecaster, BatchForecaster, PreCalibrated {
        @Override
        public OnlineState start() {
            return rf.start();
        }

        @Override
        public String describe() {
            return rf.describe() + " (as shipped: no fitting, calibration from the training data)";
        }

        @Override
        public int warmUp() {
            return rf.warmUp();
        }

        @Override
        public Result forecastOrigins(double[] z, double[] exogenous, int from, int to) {
            return rf.forecastOrigins(z, exogenous, from, to);
        }

        @Override
        public double calibrated(int k, double rawProbability) {
            return CongestionCalibrator.plattApply(new double[] {a[k], b[k]}, rawProbability);
        }
    }
}
