package io.shadowvm.cli.topology;

import io.shadowvm.core.topology.TopologyGenerator;
import io.shadowvm.core.topology.TopologyYaml;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowvm topology generate}: a leaf-spine topology as YAML on standard output. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Print a generated leaf-spine topology (YAML, the schema of docs/config.md).")
public final class GenerateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--pods", paramLabel = "N", defaultValue = "4", description = "Pods (1..10000, default ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--racks-per-pod", paramLabel = "N", defaultValue = "8", description = "Racks per pod (1..10000, default ${DEFAULT-VALUE}).")
    int racksPerPod;

    @Option(names = "--hosts-per-rack", paramLabel = "N", defaultValue = "40", description = "Hosts per rack (1..10000, default ${DEFAULT-VALUE}).")
    int hostsPerRack;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed for heterogeneous host sizes (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--heterogeneous", description = "Draw host sizes from 16c/64GiB/10G, 32c/256GiB/25G and 64c/512GiB/50G.")
    boolean heterogeneous;

    @Option(names = "--uplink-gbps", paramLabel = "G", defaultValue = "400", description = "ToR-to-spine uplink capacity (default ${DEFAULT-VALUE}).")
    double uplinkGbps;

    @Option(names = "--datacenter", paramLabel = "NAME", defaultValue = "dc1", description = "Datacenter name (default ${DEFAULT-VALUE}).")
    String datacenter;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(TopologyYaml.write(TopologyGenerator.generate(new TopologyGenerator.Spec(pods, racksPerPod,
            hostsPerRack, seed, heterogeneous, uplinkGbps, datacenter))));
        out.flush();
        return 0;
    }
}
