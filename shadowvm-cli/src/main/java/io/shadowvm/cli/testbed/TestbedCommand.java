package io.shadowvm.cli.testbed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowvm testbed}: a datacenter of network namespaces on this machine (needs root). */
@Command(name = "testbed", mixinStandardHelpOptions = true,
    description = "Build, inspect, load and remove the namespace testbed (needs root; see docs/testbed.md).",
    subcommands = {TestbedCommand.Up.class, TestbedCommand.Down.class, TestbedCommand.Status.class,
        TestbedCommand.Load.class})
public final class TestbedCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (up, down, status or load)");
    }

    /** Options every subcommand takes. */
    static final class Common {
        @Option(names = "--prefix", defaultValue = "svtb-", description = "name prefix of what the testbed creates (default ${DEFAULT-VALUE})")
        String prefix;

        @Option(names = "--scripts", paramLabel = "DIR", description = "the testbed/ directory (default: found above the working directory)")
        Path scripts;
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Build racks of host namespaces, ToR bridges, a spine and tbf-shaped uplinks; write the topology YAML.")
    static final class Up implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--racks", required = true, description = "racks, 1-50")
        int racks;

        @Option(names = "--hosts-per-rack", required = true, description = "hosts per rack, 1-50")
        int hostsPerRack;

        @Option(names = "--uplink-mbit", defaultValue = "10", description = "uplink capacity (tbf rate), Mbit/s (default ${DEFAULT-VALUE})")
        int uplinkMbit;

        @Option(names = "--queue-ms", defaultValue = "50", description = "uplink queue length in ms at its rate (default ${DEFAULT-VALUE})")
        int queueMs;

        @Option(names = "--topology-out", paramLabel = "FILE", description = "where to write the topology YAML")
        Path topologyOut;

        @Override
        public Integer call() throws Exception {
            List<String> args = new ArrayList<>(List.of("--racks", Integer.toString(racks), "--hosts-per-rack",
                Integer.toString(hostsPerRack), "--uplink-mbit", Integer.toString(uplinkMbit), "--queue-ms",
                Integer.toString(queueMs), "--prefix", common.prefix));
            if (topologyOut != null) {
                args.add("--topology-out");
                args.add(topologyOut.toAbsolutePath().toString());
            }
            TestbedScripts.locate(common.scripts).runInherited("up.sh", args);
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Remove everything the testbed created (idempotent).")
    static final class Down implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() throws Exception {
            TestbedScripts.locate(common.scripts).runInherited("down.sh", List.of("--prefix", common.prefix));
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the testbed; --json prints {\"topology\",\"hosts\",\"uplinks\"}.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "print the status JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            List<String> args = new ArrayList<>(List.of("--prefix", common.prefix));
            if (json) {
                args.add("--json");
            }
            spec.commandLine().getOut().print(TestbedScripts.locate(common.scripts).capture("status.sh", args));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true, description = "Load a rack's uplink with iperf3 in the background, or --stop it.")
    static final class Load implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--from-rack", paramLabel = "RACK", description = "the rack whose uplink to load (sender: its first host)")
        String fromRack;

        @Option(names = "--to-rack", paramLabel = "RACK", description = "receiver rack (default: the next one)")
        String toRack;

        @Option(names = "--seconds", defaultValue = "30", description = "how long (default ${DEFAULT-VALUE})")
        int seconds;

        @Option(names = "--streams", defaultValue = "2", description = "parallel TCP streams (default ${DEFAULT-VALUE})")
        int streams;

        @Option(names = "--stop", description = "stop a running load")
        boolean stop;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<String> args = new ArrayList<>(List.of("--prefix", common.prefix));
            if (stop) {
                args.add("--stop");
            } else {
                if (fromRack == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "missing --from-rack (or --stop)");
                }
                args.addAll(List.of("--from-rack", fromRack, "--seconds", Integer.toString(seconds), "--streams",
                    Integer.toString(streams)));
                if (toRack != null) {
                    args.addAll(List.of("--to-rack", toRack));
                }
            }
            TestbedScripts.locate(common.scripts).runInherited("load.sh", args);
            return 0;
        }
    }
}
