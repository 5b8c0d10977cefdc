package io.shadowvm.cli.predict;

import io.shadowvm.predict.PredictException;
import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.data.Datasets;
import io.shadowvm.predict.eval.Evaluator;
import io.shadowvm.predict.eval.HorizonMetrics;
import io.shadowvm.predict.model.Forecaster;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shadowvm predict table}: the results table of every model × dataset × horizon for docs/prediction.md.
 * With {@code --write FILE} it replaces the text between the GENERATED markers in FILE.
 */
@Command(name = "table", mixinStandardHelpOptions = true,
    description = "Evaluate every model on every shipped dataset and print (or --write into a Markdown file) the table.")
public final class TableCommand implements Callable<Integer> {
    static final String BEGIN = "<!-- BEGIN GENERATED: shadowvm predict table -->";
    static final String END = "<!-- END GENERATED: shadowvm predict table -->";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--datasets", paramLabel = "D[,D...]", split = ",",
        defaultValue = "isp-uk-5m,geant-flows,geant-links,dc-pods,bitbrains", description = "Datasets (default ${DEFAULT-VALUE}).")
    List<String> datasets;

    @Option(names = "--models", paramLabel = "M[,M...]", defaultValue = ModelChoice.ALL, description = "Models (default ${DEFAULT-VALUE}).")
    String models;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the shipped datasets are.")
    Path dataDir;

    @Option(names = "--threshold-percentile", paramLabel = "P", defaultValue = "90",
        description = "Threshold percentile (default ${DEFAULT-VALUE}).")
    double percentile;

    @Option(names = "--low-percentile", paramLabel = "P", defaultValue = "80",
        description = "Also evaluated at this percentile where the test part has fewer than --min-events events at "
            + "h=1 (protocol note: F1 on a handful of events is noise; default ${DEFAULT-VALUE}).")
    double lowPercentile;

    @Option(names = "--min-events", paramLabel = "N", defaultValue = "30",
        description = "Event count below which the lower percentile is added (default ${DEFAULT-VALUE}).")
    int minEvents;

    @Option(names = "--time-budget", paramLabel = "S", defaultValue = "7200",
        description = "Safety cap on each recurrent training, s (default ${DEFAULT-VALUE}); epochs bound it, so the table is"
            + " reproducible unless a training hits the cap (its \"Fitted\" note then shows fewer epochs than best+patience).")
    double timeBudgetSec;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "5",
        description = "Datasets evaluated at the same time, one thread each (default ${DEFAULT-VALUE}); results do not "
            + "depend on it (every model is single-threaded and seeded).")
    int parallel;

    @Option(names = "--write", paramLabel = "FILE", description = "Replace the generated block in this Markdown file.")
    Path write;

    @Option(names = "--fragment", hidden = true, description = "Print only the dataset blocks (used by --parallel).")
    boolean fragment;

    private String blocks(CommandLine cmd, String name) {
        StringBuilder part = new StringBuilder();
        Dataset ds = Datasets.load(name, dataDir);
        Evaluator.Report r = block(cmd, part, ds, percentile);
        if (r.rows().get(0).events() < minEvents) {
            block(cmd, part, ds, lowPercentile);
        }
        return part.toString();
    }

    /** Runs one child JVM per dataset, at most {@code parallel} at a time, and joins their blocks in order. */
    private String children(CommandLine cmd) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> procs = new java.util.ArrayList<>();
        List<java.util.concurrent.CompletableFuture<String>> outs = new java.util.ArrayList<>();
        StringBuilder all = new StringBuilder();
        try {
            int next = 0;
            int joined = 0;
            while (joined < datasets.size()) {
                while (next < datasets.size() && next - joined < parallel) {
                    List<String> args = new java.util.ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                        io.shadowvm.cli.ShadowVm.class.getName(), "predict", "table", "--fragment", "--parallel", "1",
                        "--datasets", datasets.get(next), "--models", models,
                        "--threshold-percentile", String.valueOf(percentile), "--low-percentile", String.valueOf(lowPercentile),
                        "--min-events", String.valueOf(minEvents), "--time-budget", String.valueOf(timeBudgetSec)));
                    if (dataDir != null) {
                        args.add("--data-dir");
                        args.add(dataDir.toString());
                    }
                    Process p = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                    procs.add(p);
                    outs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }));
                    next++;
                }
                String text = outs.get(joined).join();
                int code = procs.get(joined).waitFor();
                if (code != 0) {
                    throw new PredictException("table for " + datasets.get(joined) + " failed (exit " + code + ")");
                }
                all.append(text);
                joined++;
            }
        } catch (IOException e) {
            throw new PredictException("cannot start a child JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PredictException("interrupted");
        } finally {
            for (Process p : procs) {
                p.destroy();
            }
        }
        return all.toString();
    }

    private Evaluator.Report block(CommandLine cmd, StringBuilder md, Dataset ds, double pct) {
        int[] hs = {1, 3, 6, 12};
        String name = ds.name();
        String label = name + " P" + EvaluateCommand.fmt(pct);
        // several datasets run at once: one line per finished stage instead of a bar
        Forecaster.ProgressListener lines = (stage, done, total) -> {
            if (done >= total) {
                synchronized (cmd) {
                    cmd.getErr().println(label + ": " + stage + " done");
                    cmd.getErr().flush();
                }
            }
        };
        Evaluator.Report r = new Evaluator(hs, pct).evaluate(ds, ModelChoice.parse(cmd, models, timeBudgetSec, false), lines);
        md.append('\n').append(String.format(Locale.ROOT,
            "#### %s, threshold P%s (%d series used, %d skipped; %d test targets per horizon; %d test events at h=1)%n%n",
            name, EvaluateCommand.fmt(pct), r.seriesUsed(), r.seriesSkipped(), r.testTargetsPerHorizon(),
            r.rows().get(0).events()));
        md.append("| model | h | MAE | RMSE | MSE | precision | recall | F1 | lead | Brier |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (HorizonMetrics m : r.rows()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.3e | %.3f | %.3f | %.3f | %s | %.4f |%n",
                m.model(), m.horizon(), m.mae(), m.rmse(), m.mse(), m.precision(), m.recall(), m.f1(), Tables.lead(m),
                m.brier()));
        }
        md.append("\nFitted: ");
        boolean first = true;
        for (Map.Entry<String, String> e : r.modelNotes().entrySet()) {
            md.append(first ? "" : "; ").append(e.getKey()).append(" ").append(e.getValue().replace("|", "/"));
            first = false;
        }
        md.append('\n');
        return r;
    }

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        StringBuilder md = new StringBuilder();
        md.append(BEGIN).append('\n');
        md.append("Generated by `./shadowvm predict table --write docs/prediction.md` (models: ").append(models)
            .append("). Errors on min-max normalized values; F1 etc. on the test part; lead in steps.\n");
        if (parallel < 1 || parallel > 64) {
            throw new CommandLine.ParameterException(cmd, "--parallel: " + parallel + " (expected: 1..64)");
        }
        if (parallel > 1 && datasets.size() > 1) {
            // PyTorch allows one gradient collector per process, so datasets run in child processes
            md.append(children(cmd));
        } else {
            for (String name : datasets) {
                md.append(blocks(cmd, name));
            }
        }
        if (fragment) {
            cmd.getOut().print(md.substring(md.indexOf("\n", md.indexOf("Generated by")) + 1));
            cmd.getOut().flush();
            return 0;
        }
        md.append(END).append('\n');
        if (write == null) {
            cmd.getOut().print(md);
            cmd.getOut().flush();
            return 0;
        }
        try {
            String doc = Files.readString(write, StandardCharsets.UTF_8);
            int b = doc.indexOf(BEGIN);
            int e = doc.indexOf(END);
            if (b < 0 || e < b) {
                throw new PredictException(write + ": no generated block (expected the lines '" + BEGIN + "' and '" + END + "')");
            }
            String updated = doc.substring(0, b) + md + doc.substring(e + END.length() + (doc.startsWith("\n", e + END.length()) ? 1 : 0));
            Files.writeString(write, updated, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new PredictException("cannot update " + write + ": " + ex.getMessage(), ex);
        }
        PrintWriter out = cmd.getOut();
        out.println("updated " + write);
        out.flush();
        return 0;
    }
}
