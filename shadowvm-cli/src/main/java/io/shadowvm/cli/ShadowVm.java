package io.shadowvm.cli;

import io.shadowvm.core.ShadowVmException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code shadowvm} command. Exit codes: 0 success, 1 failure (invalid input, infeasible request,
 * runtime error), 2 usage error. A {@link ShadowVmException} is a user-facing condition and is printed as
 * one line without a stack trace; anything else is a bug and is printed in full.
 */
@Command(
    name = "shadowvm",
    mixinStandardHelpOptions = true,
    versionProvider = ShadowVm.Version.class,
    description = "Dynamic VM shadowing with predictive congestion avoidance.",
    subcommands = {
        // One line per command group; each lives in its own package under io.shadowvm.cli.
        CommandLine.HelpCommand.class,
        io.shadowvm.cli.place.PlaceCommand.class,
        io.shadowvm.cli.topology.TopologyCommand.class,
        io.shadowvm.cli.vm.VmCommand.class,
        io.shadowvm.cli.redirect.RedirectCommand.class,
        io.shadowvm.cli.predict.PredictCommand.class,
        io.shadowvm.cli.sync.SyncCommand.class,
        io.shadowvm.cli.monitor.MonitorCommand.class,
        io.shadowvm.cli.testbed.TestbedCommand.class,
        io.shadowvm.cli.controller.ControllerCommand.class,
        io.shadowvm.cli.controller.StatusCommand.class,
        io.shadowvm.cli.controller.AgentCommand.class,
        io.shadowvm.cli.controller.DemoCommand.class,
        io.shadowvm.cli.controller.DemoClientCommand.class,
    })
public final class ShadowVm implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (used by tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ShadowVm());
        cli.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FAILURE);
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("shadowvm: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof ShadowVmException) {
                err.println("shadowvm: " + ex.getMessage());
            } else {
                err.println("shadowvm: internal error (a bug; please report it with this trace):");
                ex.printStackTrace(err);
            }
            err.flush();
            return EXIT_FAILURE;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ShadowVm.class.getPackage().getImplementationVersion();
            return new String[] {"shadowvm " + (v == null ? "dev" : v)};
        }
    }
}
