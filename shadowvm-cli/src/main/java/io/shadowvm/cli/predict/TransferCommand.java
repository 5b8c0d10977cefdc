package io.shadowvm.cli.predict;

import io.shadowvm.predict.artifact.ModelArtifact;
import io.shadowvm.predict.artifact.Transfer;
import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.data.Datasets;
import io.shadowvm.predict.eval.Evaluator;
import io.shadowvm.predict.model.Models;
import io.shadowvm.predict.rnn.RecurrentKind;
import io.shadowvm.predict.rnn.RnnConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code shadowvm predict transfer}: how a network does on traces it was not trained on. Without {@code --model}:
 * leave one dataset out over the {@code --data} list (a step-free network trained on the others, evaluated on
 * the held-out one). With {@code --model DIR}: that artifact, as shipped, on every listed dataset or CSV.
 * Baselines are fitted on each evaluated trace as in {@code predict evaluate}.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true,
    description = "Evaluate a network on traces it was not trained on: leave-one-dataset-out, or a saved model (--model).")
public final class TransferCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Option(names = "--model", paramLabel = "DIR", description = "A saved model to evaluate as shipped (no training).")
    Path model;

    @Option(names = "--baselines", paramLabel = "M[,M...]", defaultValue = "persistence,ewma,holt-winters,ar",
        description = "Baselines fitted on each evaluated trace (default ${DEFAULT-VALUE}; 'none' for none).")
    String baselines;

    @Option(names = "--window", defaultValue = "12", description = "Network window, steps (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--time-budget", paramLabel = "S", defaultValue = "900",
        description = "Training time budget per network, seconds (default ${DEFAULT-VALUE}).")
    double timeBudgetSec;

    @Option(names = "--crossing", description = "Train the networks' probability heads on crossings within h (as"
        + " 'predict train --crossing').")
    boolean crossing;

    @Option(names = "--threshold-raw", paramLabel = "V", description = "With --model: a fixed threshold in the data's raw"
        + " units (e.g. 0.8 for utilization as a share of capacity, the controller's) instead of the percentile.")
    Double thresholdRaw;

    @Option(names = "--json", description = "Print the rows of every evaluated trace as JSON lists.")
    boolean json;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        int[] hs = dataOptions.horizons(cmd);
        List<String> base = baselines.equalsIgnoreCase("none") ? List.of() : Arrays.asList(baselines.split(","));
        if (!base.isEmpty()) {
            Models.baselines(baselines); // refuses unknown names before any work
        }
        if (window < 2 || window > 512) {
            throw new CommandLine.ParameterException(cmd, "--window: " + window + " (expected: 2-512)");
        }
        List<String> names = Arrays.stream(dataOptions.data.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
        if (model == null && names.size() < 2) {
            throw new CommandLine.ParameterException(cmd, "--data: " + names.size() + " dataset (expected: at least 2 "
                + "for leave-one-dataset-out, or --model DIR)");
        }
        List<Dataset> sets = new ArrayList<>();
        for (String name : names) {
            sets.add(Datasets.load(name, dataOptions.dataDir));
        }
        PrintWriter out = cmd.getOut();
        ProgressBar bar = new ProgressBar(cmd.getErr());
        List<Transfer.Result> reports = new ArrayList<>();
        if (model != null) {
            ModelArtifact a = ModelArtifact.load(model);
            for (Dataset ds : sets) {
                Evaluator ev = new Evaluator(hs, dataOptions.thresholdPercentile)
                    .rawThreshold(thresholdRaw == null ? Double.NaN : thresholdRaw);
                reports.add(Transfer.evaluate(a, ds, base.isEmpty() ? List.of() : Models.baselines(baselines), ev, bar));
            }
        } else {
            RnnConfig cfg = RnnConfig.defaults(RecurrentKind.GRU).withWindow(window).withTimeBudget(timeBudgetSec)
                .withCrossing(crossing);
            reports = Transfer.leaveOneOut(sets, cfg, hs, dataOptions.thresholdPercentile, base, bar, line -> {
                out.println(line);
                out.flush();
            });
        }
        for (Transfer.Result res : reports) {
            Evaluator.Report r = res.protocol();
            if (json) {
                out.println(Tables.json(r.rows()));
                out.println(Tables.json(res.crossings()));
                continue;
            }
            out.printf("%s: %d series (%d skipped), %d test targets per horizon, threshold %s%n", r.dataset(),
                r.seriesUsed(), r.seriesSkipped(), r.testTargetsPerHorizon(), thresholdRaw != null && model != null
                    ? thresholdRaw + " (raw units)" : "P" + EvaluateCommand.fmt(dataOptions.thresholdPercentile) + " of train");
            out.print(Tables.text(r.rows()));
            out.println("  crossing within h (event: above the threshold at some step of t+1..t+h; P = max over h' <= h):");
            out.print(Tables.text(res.crossings()));
            for (Map.Entry<String, String> e : r.modelNotes().entrySet()) {
                out.printf("  %-15s %s (fit %.1f s)%n", e.getKey(), e.getValue(), r.fitSeconds().get(e.getKey()));
            }
        }
        out.flush();
        return 0;
    }
}
