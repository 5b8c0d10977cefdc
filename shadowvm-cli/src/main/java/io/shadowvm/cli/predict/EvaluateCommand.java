package io.shadowvm.cli.predict;

import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.eval.Evaluator;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code shadowvm predict evaluate}: every model under notes/prediction-protocol.md on one dataset or CSV. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate models on a trace: 70/15/15 chronological split, train-only min-max, rolling origin on test.")
public final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Option(names = "--models", paramLabel = "M[,M...]", defaultValue = ModelChoice.ALL,
        description = "Models to evaluate (default ${DEFAULT-VALUE}).")
    String models;

    @Option(names = "--json", description = "Print a JSON list of {model, horizon, mae, rmse, mse, precision, recall, f1, "
        + "leadTimeSteps, brier} instead of a table.")
    boolean json;

    @Option(names = "--time-budget", paramLabel = "S", defaultValue = "600",
        description = "Training time budget per recurrent model, seconds (default ${DEFAULT-VALUE}).")
    double timeBudgetSec;

    @Option(names = "--pooled-normalization", description = "One min-max over the training parts of all series (as some "
        + "traffic-matrix papers do) instead of per series; for comparisons only.")
    boolean pooled;

    @Option(names = "--exogenous", description = "Give the recurrent models the mean of the dataset's other series as an input.")
    boolean exogenous;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        int[] hs = dataOptions.horizons(cmd);
        var ms = ModelChoice.parse(cmd, models, timeBudgetSec, exogenous);
        Dataset ds = dataOptions.load();
        Evaluator.Report r = new Evaluator(hs, dataOptions.thresholdPercentile).pooledNormalization(pooled).evaluate(ds, ms, new ProgressBar(cmd.getErr()));
        PrintWriter out = cmd.getOut();
        if (json) {
            out.println(Tables.json(r.rows()));
        } else {
            out.printf("dataset %s: %d series (%d skipped: constant training part or too short), %d test targets per horizon,"
                + " threshold P%s of train%n", r.dataset(), r.seriesUsed(), r.seriesSkipped(), r.testTargetsPerHorizon(),
                fmt(dataOptions.thresholdPercentile));
            out.print(Tables.text(r.rows()));
            for (Map.Entry<String, String> e : r.modelNotes().entrySet()) {
                out.printf("  %-15s %s (fit %.1f s)%n", e.getKey(), e.getValue(), r.fitSeconds().get(e.getKey()));
            }
        }
        out.flush();
        return 0;
    }

    static String fmt(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
    }
}
