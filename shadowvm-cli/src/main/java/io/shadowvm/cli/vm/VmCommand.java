package io.shadowvm.cli.vm;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code shadowvm vm}: VM commands; each subcommand is its own class. */
@Command(name = "vm", mixinStandardHelpOptions = true,
    description = "Run guests on the VM drivers and drill their failover.",
    subcommands = {VmRunCommand.class, VmDrillCommand.class, VmCreateCommand.class, VmListCommand.class, VmShowCommand.class, VmDeleteCommand.class})
public final class VmCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (" 
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }
}
