package io.shadowvm.cli.controller;

import io.shadowvm.controller.Controller;
import io.shadowvm.controller.loop.LoopConfig;
import io.shadowvm.controller.wiring.PredictorScorer;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import io.shadowvm.core.topology.TopologyLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowvm controller}: runs a controller until interrupted. */
@Command(name = "controller", mixinStandardHelpOptions = true,
    description = {"Run a ShadowVM controller: cluster store (embedded ZooKeeper unless --zookeeper), leader election,",
        "the control loop, the agents' gRPC endpoint and the REST API (/api/v1, /metrics). Stops on Ctrl-C."})
public final class ControllerCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--topology", paramLabel = "FILE", description = "Topology YAML; default: a generated one (see --racks).")
    Path topology;

    @Option(names = "--racks", defaultValue = "3", description = "Generated topology: racks (default ${DEFAULT-VALUE}).")
    int racks;

    @Option(names = "--hosts-per-rack", defaultValue = "2", description = "Generated topology: hosts per rack (default ${DEFAULT-VALUE}).")
    int hostsPerRack;

    @Option(names = "--zookeeper", paramLabel = "HOST:PORT,...", description = "A ZooKeeper ensemble; default: embedded server.")
    String zookeeper;

    @Option(names = "--data-dir", defaultValue = ".shadowvm/controller", description = "Embedded ZooKeeper data (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--grpc-port", defaultValue = "7420", description = "Agents' gRPC port (default ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--http-port", defaultValue = "7421", description = "REST port (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--tick-ms", defaultValue = "1000", description = "Control loop period (default ${DEFAULT-VALUE}).")
    long tickMs;

    @Option(names = "--heartbeat-ms", defaultValue = "100", description = "Agents' heartbeat interval (default ${DEFAULT-VALUE}).")
    long heartbeatMs;

    @Option(names = "--model", paramLabel = "DIR", description = "Congestion model directory from 'shadowvm predict train'"
        + " (default: the shipped step-free model in the jar, see data/model/).")
    Path model;

    @Option(names = "--id", description = "Controller id for leader election (default: random).")
    String id;

    @Option(names = "--agent-socket", paramLabel = "PATH",
        description = "Also serve agents on this Unix socket (agents in other network namespaces: --controller unix:PATH).")
    Path agentSocket;

    static Topology topology(Path file, int racks, int hostsPerRack) {
        if (file != null) {
            return TopologyLoader.load(file);
        }
        return TopologyGenerator.generate(new TopologyGenerator.Spec(1, racks, hostsPerRack, 1, false, 40, "dc1"));
    }

    @Override
    public Integer call() throws InterruptedException {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
            System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        PrintWriter out = spec.commandLine().getOut();
        Topology t = topology(topology, racks, hostsPerRack);
        Controller.Context ctx = new Controller.Context().topology(t).zookeeper(zookeeper).dataDir(dataDir).bind(bind)
            .grpcPort(grpcPort).httpPort(httpPort).loop(LoopConfig.of(tickMs, heartbeatMs)).controllerId(id)
            .agentSocket(agentSocket);
        if (model != null) {
            ctx.scorer(top -> PredictorScorer.load(model, top, PredictorScorer.DEFAULT_THRESHOLD, 1));
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try (Controller c = Controller.start(ctx)) {
            Thread hook = new Thread(() -> {
                stop.countDown();
                try {
                    closed.await(20, java.util.concurrent.TimeUnit.SECONDS); // let the store close cleanly
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "shadowvm-controller-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.printf("controller %s: %s; agents: %s:%d (gRPC); REST: http://%s:%d/api/v1; store: %s%n", c.id(), t,
                bind, c.grpcPort(), bind, c.httpPort(), zookeeper == null
                    ? "embedded ZooKeeper " + c.zookeeper() + " (data in " + dataDir + ")" : "ZooKeeper " + zookeeper);
            out.flush();
            stop.await();
        } finally {
            closed.countDown();
        }
        return 0;
    }
}
