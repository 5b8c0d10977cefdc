package io.shadowvm.cli.predict;

import io.shadowvm.predict.artifact.ModelArtifact;
import io.shadowvm.predict.artifact.ModelManifest;
import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.rnn.RecurrentKind;
import io.shadowvm.predict.rnn.RnnConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code shadowvm predict train}: trains the recurrent model on a trace and writes a model directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a GRU/LSTM on a trace (train part; epochs chosen on validation) and save weights + manifest.")
public final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write.")
    Path out;

    @Option(names = "--model", paramLabel = "KIND", defaultValue = "gru", description = "gru or lstm (default ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--time-budget", paramLabel = "S", defaultValue = "600",
        description = "Training time budget, seconds (default ${DEFAULT-VALUE}).")
    double timeBudgetSec;

    @Option(names = "--exogenous", description = "Give the model the mean of the dataset's other series as an input.")
    boolean exogenous;

    @Option(names = "--step-free", description = "Remove every series' clock (no time-of-day or daily-period inputs):"
        + " the model applies at any step (manifest stepSec 0), e.g. the controller's 1 s tick.")
    boolean stepFree;

    @Option(names = "--window", paramLabel = "STEPS", defaultValue = "24",
        description = "Past steps the network reads (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--crossing", description = "The probability head learns P(above the threshold at some step within"
        + " h) - crossing within the horizon, the controller's score - instead of P(above at step h).")
    boolean crossing;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        int[] hs = dataOptions.horizons(cmd);
        RecurrentKind k;
        try {
            k = RecurrentKind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, "--model: '" + kind + "' (expected: gru or lstm)");
        }
        if (!(timeBudgetSec > 0 && timeBudgetSec <= 86_400)) {
            throw new CommandLine.ParameterException(cmd, "--time-budget: " + timeBudgetSec + " (expected: 0 < S <= 86400)");
        }
        if (window < 2 || window > 512) {
            throw new CommandLine.ParameterException(cmd, "--window: " + window + " (expected: 2-512)");
        }
        Dataset ds = dataOptions.load();
        if (stepFree) {
            ds = io.shadowvm.predict.data.Datasets.withoutClock(ds);
        }
        RnnConfig cfg = RnnConfig.defaults(k).withWindow(window).withTimeBudget(timeBudgetSec).withExogenous(exogenous)
            .withCrossing(crossing);
        ModelArtifact a = ModelArtifact.train(ds, cfg, hs, dataOptions.thresholdPercentile, new ProgressBar(cmd.getErr()));
        a.save(out);
        ModelManifest m = a.manifest();
        PrintWriter w = cmd.getOut();
        w.printf(Locale.ROOT, "trained %s on %s (%d series, %d points): %d epochs, best %d, validation MSE %.3e, %.1f s%n",
            m.modelKind(), m.trainingData().dataset(), m.trainingData().seriesCount(), m.trainingData().points(),
            m.network().epochs(), m.network().bestEpoch(), m.network().validationMse(), m.network().trainSeconds());
        w.print(Tables.text(m.metrics()));
        w.println("wrote " + out.resolve(ModelArtifact.MANIFEST) + " (sha256 of training data " + m.trainingData().sha256() + ")");
        w.flush();
        return 0;
    }
}
