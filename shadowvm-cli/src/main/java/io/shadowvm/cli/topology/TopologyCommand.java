package io.shadowvm.cli.topology;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code shadowvm topology}: generate and show datacenter topologies. */
@Command(name = "topology", mixinStandardHelpOptions = true,
    description = "Generate or show a datacenter topology.",
    subcommands = {GenerateCommand.class, ShowCommand.class})
public final class TopologyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (generate or show)");
    }
}
