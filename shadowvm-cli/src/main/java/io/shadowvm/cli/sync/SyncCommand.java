package io.shadowvm.cli.sync;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code shadowvm sync}: the State Synchronization Engine. */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Replicate a memory region to shadows epoch by epoch (sink, source, bench).",
    subcommands = {SinkCommand.class, SourceCommand.class, BenchCommand.class})
public final class SyncCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (sink, source or bench)");
    }
}
