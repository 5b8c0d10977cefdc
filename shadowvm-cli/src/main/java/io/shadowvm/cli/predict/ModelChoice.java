package io.shadowvm.cli.predict;

import io.shadowvm.predict.model.Forecaster;
import io.shadowvm.predict.model.Models;
import io.shadowvm.predict.rnn.RecurrentForecaster;
import io.shadowvm.predict.rnn.RecurrentKind;
import io.shadowvm.predict.rnn.RnnConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/** Parses {@code --models}: the baselines by name, plus {@code gru} and {@code lstm}. */
final class ModelChoice {
    static final String ALL = "persistence,seasonal-naive,ewma,holt-winters,ar,gru,lstm";

    private ModelChoice() {
    }

    static List<Forecaster> parse(CommandLine cmd, String csv, double timeBudgetSec, boolean exogenous) {
        List<Forecaster> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String raw : csv.split(",")) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (seen.contains(name)) {
                throw new CommandLine.ParameterException(cmd, "--models: '" + name + "' given twice");
            }
            seen.add(name);
            if (name.equals("gru") || name.equals("lstm")) {
                RecurrentKind kind = RecurrentKind.valueOf(name.toUpperCase(Locale.ROOT));
                out.add(new RecurrentForecaster(RnnConfig.defaults(kind).withTimeBudget(timeBudgetSec).withExogenous(exogenous)));
            } else if (Models.BASELINES.containsKey(name)) {
                out.add(Models.BASELINES.get(name).get());
            } else {
                throw new CommandLine.ParameterException(cmd, "--models: unknown model '" + raw.trim() + "' (expected: "
                    + ALL + ")");
            }
        }
        if (out.isEmpty()) {
            throw new CommandLine.ParameterException(cmd, "--models: none given (expected some of " + ALL + ")");
        }
        return out;
    }
}
