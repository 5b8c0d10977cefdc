package io.shadowvm.cli.controller;

import io.shadowvm.agent.HostAgent;
import io.shadowvm.agent.TelemetrySource;
import io.shadowvm.agent.ingress.L4IngressPlane;
import io.shadowvm.agent.runtime.ProcessGuestRuntime;
import io.shadowvm.core.agent.AgentRunner;
import io.shadowvm.core.agent.IdleStrategy;
import io.shadowvm.core.time.EpochClock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowvm agent}: runs one host's agent until interrupted. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {"Run the ShadowVM agent of one host: registers with the controller, heartbeats, and runs the VMs it",
        "is told to as process guests replicated with shadowvm-sync; with --ingress also the L4 redirector. Stops on Ctrl-C."})
public final class AgentCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", required = true, description = "This host's name in the controller's topology.")
    String host;

    @Option(names = "--controller", split = ",", defaultValue = "127.0.0.1:7420",
        description = "Controllers' gRPC addresses, host:port[,host:port] (default ${DEFAULT-VALUE}).")
    List<String> controllers;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address guests and sync sinks listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--work-dir", description = "Guest state and replicas (default: /dev/shm/shadowvm-agent-HOST).")
    Path workDir;

    @Option(names = "--epoch-ms", defaultValue = "100", description = "Checkpoint interval of primaries (default ${DEFAULT-VALUE}).")
    long epochMs;

    @Option(names = "--ingress", description = "Also run the ingress data plane (an L4 redirector per VM).")
    boolean ingress;

    @Option(names = "--ingress-port", defaultValue = "0", description = "First ingress port (0: any free port).")
    int ingressPort;

    @Override
    public Integer call() throws InterruptedException {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
            System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        PrintWriter out = spec.commandLine().getOut();
        Path dir = workDir != null ? workDir : Path.of("/dev/shm/shadowvm-agent-" + host);
        ProcessGuestRuntime runtime = new ProcessGuestRuntime(host, dir, bind, epochMs, EpochClock.SYSTEM);
        L4IngressPlane plane = ingress ? new L4IngressPlane(bind, ingressPort) : null;
        HostAgent agent = new HostAgent(new HostAgent.Config(host, controllers, bind, ingress,
            Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, 500),
            EpochClock.SYSTEM, runtime, TelemetrySource.NONE, plane);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                closed.await(20, java.util.concurrent.TimeUnit.SECONDS); // guests must not outlive their agent
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shadowvm-agent-stop"));
        try (AgentRunner runner = new AgentRunner(agent, IdleStrategy.sleeping(1_000_000),
            t -> System.err.println("shadowvm agent " + host + ": " + t)).start()) {
            out.printf("agent %s (%s) -> controller %s; %s%s%n", host, agent.agentId(), controllers, runtime.describe(),
                plane == null ? "" : "; ingress: " + plane.describe());
            out.flush();
            stop.await();
        } finally {
            runtime.close();
            if (plane != null) {
                plane.close();
            }
            closed.countDown();
        }
        return 0;
    }
}
