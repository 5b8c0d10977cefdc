package io.shadowvm.predict.artifact;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shadowvm.predict.PredictException;
import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.eval.Evaluator;
import io.shadowvm.predict.eval.HorizonMetrics;
import io.shadowvm.predict.eval.PreparedSeries;
import io.shadowvm.predict.model.BatchForecaster;
import io.shadowvm.predict.model.CongestionCalibrator;
import io.shadowvm.predict.model.FitContext;
import io.shadowvm.predict.model.FittedForecaster;
import io.shadowvm.predict.model.Forecaster;
import io.shadowvm.predict.rnn.DjlRuntime;
import io.shadowvm.predict.rnn.Features;
import io.shadowvm.predict.rnn.RecurrentFitted;
import io.shadowvm.predict.rnn.RecurrentForecaster;
import io.shadowvm.predict.rnn.RecurrentKind;
import io.shadowvm.predict.rnn.RecurrentModel;
import io.shadowvm.predict.rnn.RecurrentNet;
import io.shadowvm.predict.rnn.RnnConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** A trained recurrent model with its manifest; {@link #save} and {@link #load} a model directory. */
public final class ModelArtifact {
    public static final String MANIFEST = "manifest.json";
    public static final List<String> CHANNEL_NAMES = List.of("z", "sin_tod", "cos_tod", "sin_dow", "cos_dow",
        "z_day_ago_at_max_horizon", "threshold", "exogenous_mean_of_other_series");

    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final ModelManifest manifest;
    private final RecurrentModel model;

    public ModelArtifact(ModelManifest manifest, RecurrentModel model) {
        this.manifest = manifest;
        this.model = model;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public RecurrentModel model() {
        return model;
    }

    /** Trains on a dataset under the protocol, scores the test part, and calibrates on the validation parts. */
    public static ModelArtifact train(Dataset ds, RnnConfig config, int[] horizons, double thresholdPercentile,
                                      Forecaster.ProgressListener progress) {
        Evaluator ev = new Evaluator(horizons, thresholdPercentile);
        List<PreparedSeries> prepared = ev.prepare(ds);
        List<FitContext> contexts = new ArrayList<>();
        for (PreparedSeries p : prepared) {
            contexts.add(p.fitContext(ev.horizons()));
        }
        RecurrentForecaster rf = new RecurrentForecaster(config);
        List<FittedForecaster> fitted = rf.fitAll(contexts, progress);
        List<HorizonMetrics> metrics = ev.score(prepared, rf.name(), fitted);
        RecurrentModel rm = ((RecurrentFitted) fitted.get(0)).model();
        int hk = horizons.length;
        double[] sse = new double[hk];
        long[] cnt = new long[hk];
        double[][] rawAll = new double[hk][];
        double[][] labAll = new double[hk][];
        for (int k = 0; k < hk; k++) {
            List<Double> r = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < prepared.size(); i++) {
                PreparedSeries p = prepared.get(i);
                Evaluator.ValidationPairs vp = ev.validationPairs(p, (RecurrentFitted) fitted.get(i));
                for (int j = 0; j < vp.actual()[k].length; j++) {
                    r.add(vp.rawProbability()[k][j]);
                    // labels against each series' own threshold, encoded as 1/0 and cut at 0.5 below
                    y.add(vp.actual()[k][j] > p.threshold() ? 1.0 : 0.0);
                    double e = vp.actual()[k][j] - vp.forecast()[k][j];
                    sse[k] += e * e;
                    cnt[k]++;
                }
            }
            rawAll[k] = r.stream().mapToDouble(Double::doubleValue).toArray();
            labAll[k] = y.stream().mapToDouble(Double::doubleValue).toArray();
        }
        if (config.crossing()) {
            crossingPairs(contexts, fitted, horizons, rawAll, labAll);
        }
        double[] a = new double[hk];
        double[] b = new double[hk];
        double[] std = new double[hk];
        for (int k = 0; k < hk; k++) {
            double[] ab = CongestionCalibrator.plattFit(rawAll[k], labAll[k], 0.5);
            a[k] = ab[0];
            b[k] = ab[1];
            std[k] = cnt[k] == 0 ? 0.1 : Math.sqrt(sse[k] / cnt[k]);
        }
        List<ModelManifest.SeriesNorm> norms = new ArrayList<>();
        long points = 0;
        for (PreparedSeries p : prepared) {
            norms.add(new ModelManifest.SeriesNorm(p.series().name(), p.normalization().min(), p.normalization().max(),
                p.threshold(), thresholdPercentile));
            points += p.split().testStart();
        }
        RecurrentForecaster.TrainingSummary s = rf.lastSummary();
        FitContext c0 = contexts.get(0);
        boolean clock = c0.stepSec() > 0 && c0.startEpochSec() >= 0;
        int channels = Features.channels(rm.exogenous());
        ModelManifest m = new ModelManifest(ModelManifest.FORMAT_VERSION, config.kind().modelName(), horizons.clone(),
            new ModelManifest.Inputs(config.window(), channels, CHANNEL_NAMES.subList(0, channels), rm.exogenous(),
                c0.stepSec(), c0.dailyPeriod(), clock),
            new ModelManifest.Network(config.hidden(), s.epochs(), s.bestEpoch(), s.bestValidationMse(), config.seed(),
                config.learningRate(), config.batchSize(), s.seconds()),
            rm.scale().clone(), new ModelManifest.Calibration(a, b, std, Evaluator.ALARM_CUT,
                config.crossing() ? ModelManifest.EVENT_CROSSING : ModelManifest.EVENT_ABOVE), norms,
            new ModelManifest.TrainingData(ds.name(), ds.description(), prepared.size(), points, digest(prepared)),
            metrics, DjlRuntime.describe());
        return new ModelArtifact(m, rm);
    }

    /**
     * For a head trained on crossings: its raw probabilities and the labels "above the threshold at some step of
     * (t, t+h]" at every origin t whose targets lie in the validation part (read from the fit contexts, which
     * hold train + validation only).
     */
    private static void crossingPairs(List<FitContext> contexts, List<FittedForecaster> fitted, int[] horizons,
                                      double[][] rawAll, double[][] labAll) {
        int hk = horizons.length;
        List<List<Double>> r = new ArrayList<>();
        List<List<Double>> y = new ArrayList<>();
        for (int k = 0; k < hk; k++) {
            r.add(new ArrayList<>());
            y.add(new ArrayList<>());
        }
        for (int i = 0; i < contexts.size(); i++) {
            FitContext c = contexts.get(i);
            double[] z = c.z();
            int from = c.nTrain() - 1;
            int to = z.length - 1;
            if (to <= from) {
                continue;
            }
            BatchForecaster.Result res = ((RecurrentFitted) fitted.get(i)).forecastOrigins(z, c.exogenous(), from, to);
            for (int k = 0; k < hk; k++) {
                for (int t = from; t + horizons[k] < z.length; t++) {
                    r.get(k).add(res.rawProbability()[k][t - from]);
                    y.get(k).add(RecurrentForecaster.maxAhead(z, t, horizons[k]) > c.threshold() ? 1.0 : 0.0);
                }
            }
        }
        for (int k = 0; k < hk; k++) {
            rawAll[k] = r.get(k).stream().mapToDouble(Double::doubleValue).toArray();
            labAll[k] = y.get(k).stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /** SHA-256 over every series' name and its train+validation values (IEEE-754 big-endian). */
    static String digest(List<PreparedSeries> prepared) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(8);
            for (PreparedSeries p : prepared) {
                md.update(p.series().name().getBytes(StandardCharsets.UTF_8));
                double[] v = p.series().values();
                for (int i = 0; i < p.split().testStart(); i++) {
                    buf.clear();
                    buf.putDouble(v[i]);
                    md.update(buf.array());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            model.net().save(dir);
            JSON.writeValue(dir.resolve(MANIFEST).toFile(), manifest);
        } catch (IOException e) {
            throw new PredictException("cannot write model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Loads a model directory; refuses a mismatched or incomplete one with a message naming what is wrong. */
    public static ModelArtifact load(Path dir) {
        ModelManifest m = readManifest(dir);
        RecurrentKind kind = RecurrentKind.valueOf(m.modelKind().toUpperCase(Locale.ROOT));
        int[] hs = m.horizons();
        int expectChannels = Features.channels(m.inputs().exogenous());
        RecurrentNet net = new RecurrentNet(kind, m.inputs().window(), expectChannels, m.network().hidden(), hs.length,
            m.network().seed());
        net.initializeForInference();
        try {
            net.load(dir);
        } catch (PredictException e) {
            net.close();
            throw new ArtifactMismatchException("model " + dir + ": weights do not fit a " + kind.modelName() + " with hidden="
                + m.network().hidden() + ", window=" + m.inputs().window() + ", channels=" + expectChannels + ": "
                + e.getMessage());
        }
        RnnConfig cfg = RnnConfig.defaults(kind);
        cfg = new RnnConfig(kind, m.inputs().window(), m.network().hidden(), cfg.maxEpochs(), cfg.patience(),
            m.network().batchSize(), cfg.samplesPerEpoch(), m.network().learningRate(), m.network().seed(),
            cfg.timeBudgetSec(), m.inputs().exogenous(), ModelManifest.EVENT_CROSSING.equals(m.calibration().event()));
        return new ModelArtifact(m, new RecurrentModel(net, cfg, hs, m.deltaScale(), m.inputs().exogenous()));
    }

    /**
     * Reads and checks a model directory's manifest (and that its weights file exists) without starting the
     * engine: what a baseline fallback needs when the network cannot run.
     */
    public static ModelManifest readManifest(Path dir) {
        Path mf = dir.resolve(MANIFEST);
        ModelManifest m;
        try {
            m = JSON.readValue(Files.readString(mf), ModelManifest.class);
        } catch (NoSuchFileException e) {
            throw new ArtifactMismatchException("model " + dir + ": no " + MANIFEST + " (expected a directory written by"
                + " 'shadowvm predict train')");
        } catch (IOException e) {
            throw new ArtifactMismatchException("model " + dir + ": " + MANIFEST + " is not a valid manifest: "
                + e.getMessage().lines().findFirst().orElse(""));
        }
        if (m.formatVersion() != ModelManifest.FORMAT_VERSION) {
            throw new ArtifactMismatchException("model " + dir + ": formatVersion " + m.formatVersion() + " (expected: "
                + ModelManifest.FORMAT_VERSION + ")");
        }
        try {
            RecurrentKind.valueOf(String.valueOf(m.modelKind()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ArtifactMismatchException("model " + dir + ": modelKind '" + m.modelKind() + "' (expected: gru or lstm)");
        }
        int[] hs = m.horizons();
        if (hs == null || hs.length == 0 || m.deltaScale() == null || m.deltaScale().length != hs.length
            || m.calibration() == null || m.calibration().plattA().length != hs.length) {
            throw new ArtifactMismatchException("model " + dir + ": horizons, deltaScale and calibration must have the same"
                + " length (horizons " + (hs == null ? "missing" : hs.length) + ")");
        }
        int expectChannels = Features.channels(m.inputs().exogenous());
        if (m.inputs().channels() != expectChannels) {
            throw new ArtifactMismatchException("model " + dir + ": inputs.channels " + m.inputs().channels() + " (expected: "
                + expectChannels + " for exogenous=" + m.inputs().exogenous() + ")");
        }
        Path params = dir.resolve(RecurrentNet.PARAMS_NAME + "-0000.params");
        if (!Files.isRegularFile(params)) {
            throw new ArtifactMismatchException("model " + dir + ": missing weights file " + params.getFileName());
        }
        return m;
    }
}
