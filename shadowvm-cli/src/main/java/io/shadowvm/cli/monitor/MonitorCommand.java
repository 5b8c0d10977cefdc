package io.shadowvm.cli.monitor;

import io.shadowvm.monitor.MonitorAgent;
import io.shadowvm.monitor.MonitorOptions;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shadowvm monitor --topology T.yaml --host NAME [--listen ..] [--peers h,h] [--json-lines]}: one
 * Network Monitoring Agent (probe responder + prober + interface counters) until SIGINT/SIGTERM or
 * {@code --duration-ms}. With {@code --switch} it runs in a ToR/spine namespace and reports every interface.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
    description = "Run a Network Monitoring Agent: probe peers, sample interface counters, stream samples.",
    subcommands = BandwidthCommand.class)
public final class MonitorCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--topology", paramLabel = "FILE", description = "topology YAML (required to run an agent)")
    Path topology;

    @Option(names = "--host", paramLabel = "NAME", description = "the host this agent runs on")
    String host;

    @Option(names = "--switch", description = "switch mode: report every interface of this namespace (ToR/spine)")
    boolean switchMode;

    @Option(names = "--name", paramLabel = "NAME", description = "agent name without --host (e.g. tor-r1)")
    String name;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "probe responder address (default :PORT)")
    String listen;

    @Option(names = "--port", defaultValue = "7700", description = "responder port, also of peers from --addresses (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--addresses", paramLabel = "FILE", description = "peer addresses: the JSON of 'testbed status --json'")
    Path addresses;

    @Option(names = "--peer-address", paramLabel = "NAME=HOST:PORT", description = "a peer's responder address (repeatable)")
    Map<String, String> peerAddresses = Map.of();

    @Option(names = "--peers", split = ",", paramLabel = "HOST", description = "probe only these hosts")
    List<String> peers;

    @Option(names = "--placements", split = ",", paramLabel = "HOST", description = "potential placements: every pair of them is probed at least every 10 s")
    List<String> placements;

    @Option(names = "--interval-ms", defaultValue = "0", description = "probe every peer this often (default: the topology-derived plan)")
    long intervalMs;

    @Option(names = "--timeout-ms", defaultValue = "1000", description = "a probe unanswered this long is a loss (default ${DEFAULT-VALUE})")
    long timeoutMs;

    @Option(names = "--payload-bytes", defaultValue = "64", description = "probe size, 44-65507 (default ${DEFAULT-VALUE})")
    int payloadBytes;

    @Option(names = "--counter-tick-ms", defaultValue = "1000", description = "interface counter sampling period (default ${DEFAULT-VALUE})")
    long counterTickMs;

    @Option(names = "--iface", paramLabel = "IFACE=LINK", description = "interface carrying a topology link (repeatable)")
    Map<String, String> interfaceLinks = Map.of();

    @Option(names = "--no-probes", description = "only sample counters")
    boolean noProbes;

    @Option(names = "--no-counters", description = "only probe")
    boolean noCounters;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", description = "serve Prometheus /metrics here")
    String metricsListen;

    @Option(names = "--json-lines", description = "print one JSON object per sample on stdout")
    boolean jsonLines;

    @Option(names = "--duration-ms", defaultValue = "0", description = "stop after this long (default: until interrupted)")
    long durationMs;

    @Override
    @SuppressWarnings("removal")
    public Integer call() throws Exception {
        MonitorOptions o = new MonitorOptions();
        o.topology = topology;
        o.host = host;
        o.switchMode = switchMode;
        o.name = name;
        o.listen = listen;
        o.port = port;
        o.addresses = addresses;
        o.peerAddresses.putAll(peerAddresses);
        o.peers = peers == null ? null : new ArrayList<>(peers);
        o.placements = placements == null ? null : new ArrayList<>(placements);
        o.intervalMs = intervalMs;
        o.timeoutMs = timeoutMs;
        o.payloadBytes = payloadBytes;
        o.counterTickMs = counterTickMs;
        o.interfaceLinks.putAll(interfaceLinks);
        o.noProbes = noProbes;
        o.noCounters = noCounters;
        o.metricsListen = metricsListen;
        PrintWriter out = spec.commandLine().getOut();
        Writer json = jsonLines ? out : null;
        CountDownLatch stop = new CountDownLatch(1);
        for (String sig : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> stop.countDown());
            } catch (IllegalArgumentException e) {
                // signal not available here: stop by --duration-ms or kill
            }
        }
        try (MonitorAgent agent = MonitorAgent.start(o.toContext(json))) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("monitor: " + agent.context().agentName() + ": responder " + agent.responderAddress()
                + ", " + (agent.plan() == null ? 0 : agent.plan().size()) + " peers, " + agent.bindings().size()
                + " interfaces" + (agent.metricsAddress() != null ? ", /metrics on " + agent.metricsAddress() : ""));
            err.flush();
            if (durationMs > 0) {
                stop.await(durationMs, TimeUnit.MILLISECONDS);
            } else {
                stop.await();
            }
        }
        out.flush();
        return 0;
    }
}
