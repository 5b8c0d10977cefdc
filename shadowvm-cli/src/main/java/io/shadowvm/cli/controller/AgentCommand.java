package io.shadowvm.cli.controller;

import io.shadowvm.agent.HostAgent;
import io.shadowvm.agent.TelemetrySource;
import io.shadowvm.agent.VmRuntime;
import io.shadowvm.agent.ingress.L4IngressPlane;
import io.shadowvm.agent.runtime.GuestKindDispatcher;
import io.shadowvm.agent.runtime.ProcessGuestRuntime;
import io.shadowvm.agent.runtime.QemuGuestRuntime;
import io.shadowvm.agent.telemetry.MonitorTelemetry;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.agent.AgentRunner;
import io.shadowvm.core.agent.IdleStrategy;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.monitor.MonitorAgent;
import io.shadowvm.monitor.MonitorOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowvm agent}: runs one host's agent (or a switch monitor) until interrupted. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {"Run the ShadowVM agent of one host: registers with the controller, heartbeats, and runs the VMs it",
        "is told to (process guests or QEMU VMs) replicated with shadowvm-sync; with --ingress also the L4 redirector, with",
        "--monitor the Network Monitoring Agent (probes and interface counters become the controller's telemetry).",
        "With --switch it is a switch monitor in a ToR or spine namespace: link telemetry only. Stops on Ctrl-C."})
public final class AgentCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", required = true,
        description = "This host's name in the controller's topology (with --switch: the switch's name, e.g. spine).")
    String host;

    @Option(names = "--controller", split = ",", defaultValue = "127.0.0.1:7420",
        description = "Controllers' gRPC addresses, host:port[,host:port] or unix:/path (default ${DEFAULT-VALUE}).")
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

    @Option(names = "--monitor", description = "Also run the Network Monitoring Agent; its samples are sent as telemetry (needs --topology).")
    boolean monitor;

    @Option(names = "--switch", description = "Switch monitor: --host names a ToR/spine; runs no VMs, reports every interface it sees.")
    boolean switchMonitor;

    @Option(names = "--topology", paramLabel = "FILE", description = "Topology YAML (the monitor binds interfaces and peers by its names).")
    Path topology;

    @Option(names = "--peer-addresses", paramLabel = "STATE_JSON",
        description = "The testbed's status JSON: every host's probe address.")
    Path peerAddresses;

    @Option(names = "--monitor-port", defaultValue = "7700", description = "The monitor's probe port (default ${DEFAULT-VALUE}).")
    int monitorPort;

    @Option(names = "--probe-interval-ms", defaultValue = "0", description = "Probe round interval (0: the monitor's default).")
    long probeIntervalMs;

    @Option(names = "--exit-on-stdin-eof", description = "Stop when stdin closes: a child agent dies with the process that started it.")
    boolean exitOnStdinEof;

    @Override
    public Integer call() throws InterruptedException {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
            System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // gRPC asks for SO_KEEPALIVE on every channel; a Unix socket has none, which is not worth a warning
        System.setProperty("org.slf4j.simpleLogger.log.io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap", "error");
        PrintWriter out = spec.commandLine().getOut();
        Path dir = workDir != null ? workDir : Path.of("/dev/shm/shadowvm-agent-" + host);
        MonitorAgent monitorAgent = monitor || switchMonitor ? MonitorAgent.start(monitorOptions().toContext(null)) : null;
        VmRuntime runtime = switchMonitor ? null : GuestKindDispatcher.of(
            new ProcessGuestRuntime(host, dir.resolve("process"), bind, epochMs, EpochClock.SYSTEM),
            new QemuGuestRuntime(host, dir.resolve("qemu"), bind, epochMs, EpochClock.SYSTEM));
        L4IngressPlane plane = ingress && !switchMonitor ? new L4IngressPlane(bind, ingressPort) : null;
        TelemetrySource telemetry = monitorAgent == null ? TelemetrySource.NONE : new MonitorTelemetry(monitorAgent::pollBatch);
        HostAgent agent = new HostAgent(new HostAgent.Config(host, controllers, bind, ingress && !switchMonitor,
            Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, 500, switchMonitor),
            EpochClock.SYSTEM, runtime, telemetry, plane);
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
        if (exitOnStdinEof) {
            Thread t = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // drain until the parent goes away
                    }
                } catch (IOException ignored) {
                    // treated as end of file
                }
                stop.countDown();
            }, "shadowvm-agent-stdin");
            t.setDaemon(true);
            t.start();
        }
        try (AgentRunner runner = new AgentRunner(agent, IdleStrategy.sleeping(1_000_000),
            t -> System.err.println("shadowvm agent " + host + ": " + t)).start()) {
            out.printf("agent %s (%s) -> controller %s; %s%s%s%n", host, agent.agentId(), controllers,
                runtime == null ? "switch monitor" : runtime.describe(),
                plane == null ? "" : "; ingress: " + plane.describe(),
                monitorAgent == null ? "" : "; monitor: " + monitorAgent.bindings().size() + " interfaces");
            out.flush();
            stop.await();
        } finally {
            if (runtime != null) {
                runtime.close();
            }
            if (plane != null) {
                plane.close();
            }
            if (monitorAgent != null) {
                monitorAgent.close();
            }
            closed.countDown();
        }
        return 0;
    }

    private MonitorOptions monitorOptions() {
        if (topology == null) {
            throw new ShadowVmException("--monitor and --switch need --topology FILE (the monitor names links after it)");
        }
        MonitorOptions o = new MonitorOptions();
        o.topology = topology;
        o.port = monitorPort;
        o.intervalMs = probeIntervalMs;
        if (switchMonitor) {
            o.switchMode = true;
            o.name = host;
            o.noProbes = true;
        } else {
            o.host = host;
            o.addresses = peerAddresses;
            o.listen = bind + ":" + monitorPort;
            o.noProbes = peerAddresses == null;
        }
        return o;
    }
}
