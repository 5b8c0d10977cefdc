package io.shadowvm.cli.predict;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code shadowvm predict}: congestion prediction on traces. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Congestion prediction: evaluate models on traces, train the recurrent model, score paths.",
    subcommands = {EvaluateCommand.class, TrainCommand.class, ScoreCommand.class, TableCommand.class,
        RecordUplinkCommand.class, TransferCommand.class})
public final class PredictCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "missing subcommand (evaluate, train, score, table, record-uplink, transfer)");
    }
}
