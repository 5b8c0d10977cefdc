package io.shadowvm.cli.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowvm.controller.Controller;
import io.shadowvm.controller.loop.ClusterSnapshot;
import io.shadowvm.controller.loop.LoopConfig;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * ShadowVM on the namespace testbed, for real: {@code testbed/up.sh} builds the racks; the controller runs in
 * this JVM (embedded ZooKeeper) and serves agents on a Unix socket, the testbed's management network (the
 * data network between the namespaces stays isolated and has no route to this one); every host's agent is a
 * child JVM started inside its host namespace ({@code ip netns exec}) with its Network Monitoring Agent, so
 * sync, probes, guests and client traffic cross the tbf-limited uplinks; a switch monitor in the spine
 * namespace reports the uplinks' utilization. {@link #close()} stops every child and runs {@code down.sh}.
 */
public final class TestbedCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param ingressHost the host whose agent also runs the L4 ingress (null: none)
     * @param agentArgs   extra {@code shadowvm agent} options for every host agent
     */
    public record Options(String prefix, int racks, int hostsPerRack, int uplinkMbit, int queueMs, Path workDir,
                          Path scripts, String ingressHost, long epochMs, LoopConfig loop, List<String> agentArgs) {
        public Options {
            agentArgs = List.copyOf(agentArgs);
        }
    }

    /** One host of the testbed. */
    public record TestbedHost(String name, String rack, String netns, String address) {
    }

    private final Options opts;
    private final TestbedScripts scripts;
    private final Map<String, TestbedHost> hosts = new LinkedHashMap<>();
    private final Map<String, Process> agents = new LinkedHashMap<>();
    private boolean built;
    private volatile Process loadClient;
    private volatile double offeredMbit;
    private Controller controller;
    private Path topologyFile;
    private Path statusFile;

    private TestbedCluster(Options opts) {
        this.opts = opts;
        this.scripts = TestbedScripts.locate(opts.scripts());
    }

    /** Builds the testbed, starts the controller and every agent, and waits until all hosts registered. */
    public static TestbedCluster start(Options opts, long registerTimeoutMs) {
        TestbedCluster c = new TestbedCluster(opts);
        try {
            c.startAll(registerTimeoutMs);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        } catch (IOException e) {
            c.close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            c.close();
            Thread.currentThread().interrupt();
            throw new ShadowVmException("interrupted while starting the testbed cluster");
        }
    }

    private void startAll(long registerTimeoutMs) throws IOException, InterruptedException {
        Files.createDirectories(opts.workDir());
        scripts.capture("down.sh", List.of("--prefix", opts.prefix())); // what a crashed earlier run left
        topologyFile = opts.workDir().resolve("topology.yaml");
        built = true;
        scripts.capture("up.sh", List.of("--racks", String.valueOf(opts.racks()), "--hosts-per-rack",
            String.valueOf(opts.hostsPerRack()), "--uplink-mbit", String.valueOf(opts.uplinkMbit()), "--queue-ms",
            String.valueOf(opts.queueMs()), "--prefix", opts.prefix(), "--topology-out", topologyFile.toString()));
        String status = scripts.capture("status.sh", List.of("--json", "--prefix", opts.prefix()));
        statusFile = opts.workDir().resolve("status.json");
        Files.writeString(statusFile, status);
        for (JsonNode h : JSON.readTree(status).path("hosts")) {
            TestbedHost th = new TestbedHost(h.path("name").asText(), h.path("rack").asText(), h.path("netns").asText(),
                h.path("address").asText());
            hosts.put(th.name(), th);
        }
        Topology topology = TopologyLoader.load(topologyFile);
        Path socket = opts.workDir().resolve("agents.sock");
        controller = Controller.start(new Controller.Context().topology(topology).dataDir(opts.workDir().resolve("controller"))
            .bind("127.0.0.1").grpcPort(0).httpPort(0).agentSocket(socket).loop(opts.loop())
            .errors(t -> System.err.println("shadowvm controller: " + t)));
        for (TestbedHost h : hosts.values()) {
            List<String> args = new ArrayList<>(List.of("--host", h.name(), "--bind", h.address(), "--monitor",
                "--peer-addresses", statusFile.toString(), "--epoch-ms", String.valueOf(opts.epochMs()),
                "--work-dir", agentWorkDir(h.name()).toString()));
            if (h.name().equals(opts.ingressHost())) {
                args.add("--ingress");
            }
            args.addAll(opts.agentArgs());
            agents.put(h.name(), spawnAgent(h.netns(), h.name(), socket, args));
        }
        agents.put("spine", spawnAgent(opts.prefix() + "spine", "spine", socket, List.of("--switch", "--host", "spine")));
        boolean up = await(() -> controller.snapshot().hosts().stream().filter(v -> "ALIVE".equals(v.state())).count()
            == hosts.size(), registerTimeoutMs);
        if (!up) {
            throw new ShadowVmException("testbed agents did not all register within " + registerTimeoutMs + " ms (logs in "
                + opts.workDir() + ")");
        }
    }

    private Process spawnAgent(String netns, String name, Path socket, List<String> args) throws IOException {
        List<String> cli = new ArrayList<>(List.of("agent", "--controller", "unix:" + socket, "--topology",
            topologyFile.toString(), "--exit-on-stdin-eof"));
        cli.addAll(args);
        ProcessBuilder pb = cliInNamespace(netns, cli, "384m");
        hosts.values().stream().filter(h -> h.name().equals(name)).findFirst()
            .ifPresent(h -> pb.environment().put("SHADOWVM_GUEST_BIND", h.address()));
        return pb.redirectErrorStream(true)
            .redirectOutput(opts.workDir().resolve("agent-" + name + ".log").toFile()).start();
    }

    /** Where {@code host}'s agent keeps guest state and replicas (a tmpfs: guest RAM files live there). */
    private Path agentWorkDir(String host) {
        return Path.of("/dev/shm", "shadowvm-" + opts.prefix() + host);
    }

    /**
     * What this machine lacks to run the testbed with {@code tools} on the PATH: null when nothing, else a
     * reason to print (root first, then the missing tools by name).
     */
    public static String missing(List<String> tools) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "root (network namespaces)";
        }
        List<String> absent = new ArrayList<>();
        for (String tool : tools) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                .split(java.io.File.pathSeparator)) {
                found |= Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) {
                absent.add(tool);
            }
        }
        return absent.isEmpty() ? null : String.join(", ", absent) + " (scripts/install-deps.sh installs them)";
    }

    /** Removes {@code dir} and everything below it, as far as it can. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> w = Files.walk(dir)) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }

    private static ProcessBuilder cliInNamespace(String netns, List<String> cliArgs, String heap) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns, javaBinary(), "-Xmx" + heap,
            "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
            System.getProperty("java.class.path"), "io.shadowvm.cli.ShadowVm"));
        cmd.addAll(cliArgs);
        return new ProcessBuilder(cmd);
    }

    /**
     * Starts {@code shadowvm <cliArgs>} inside {@code host}'s namespace (a client of the data network); its
     * stderr goes to a log in the work directory, its stdout is the caller's to read. Stopped by {@link #close()}.
     */
    public Process startCli(String host, List<String> cliArgs) throws IOException {
        Process p = cliInNamespace(require(host).netns(), cliArgs, "128m")
            .redirectError(opts.workDir().resolve("cli-" + host + ".log").toFile()).start();
        agents.put("cli-" + host + "-" + agents.size(), p);
        return p;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public Controller controller() {
        return controller;
    }

    public ClusterSnapshot snapshot() {
        return controller.snapshot();
    }

    public Map<String, TestbedHost> hosts() {
        return hosts;
    }

    public Path topologyFile() {
        return topologyFile;
    }

    /**
     * Host death: every process in the host's namespace (its agent, its guests, QEMU) is killed with SIGKILL
     * at once, as a power failure would.
     */
    public void killHost(String host) throws IOException, InterruptedException {
        TestbedHost h = require(host);
        for (int round = 0; round < 3; round++) {
            String pids = run(List.of("ip", "netns", "pids", h.netns()), 10).strip();
            if (pids.isEmpty()) {
                return;
            }
            for (String p : pids.split("\\s+")) {
                ProcessHandle.of(Long.parseLong(p)).ifPresent(ProcessHandle::destroyForcibly);
            }
            Thread.sleep(100);
        }
    }

    /** Runs {@code command} inside {@code host}'s namespace; returns its stdout (its exit status is not checked). */
    public String exec(String host, List<String> command, long timeoutSec) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", require(host).netns()));
        cmd.addAll(command);
        return run(cmd, timeoutSec);
    }

    /** An HTTP GET from inside {@code host}'s namespace (curl); the body, or "" when it failed. */
    public String httpGet(String fromHost, String url) throws IOException, InterruptedException {
        return exec(fromHost, List.of("curl", "-s", "-m", "5", url), 10);
    }

    /**
     * One line to a line-protocol service (the process guests' key-value protocol) from inside {@code fromHost}'s
     * namespace, with busybox nc; the first answer line, stripped ("" when nothing came back).
     */
    public String lineRequest(String fromHost, String hostPort, String line) throws IOException, InterruptedException {
        int colon = hostPort.lastIndexOf(':');
        String out = exec(fromHost, List.of("sh", "-c", "printf '%s\\n' \"$0\" | busybox nc -w 5 \"$1\" \"$2\"", line,
            hostPort.substring(0, colon), hostPort.substring(colon + 1)), 10);
        int nl = out.indexOf('\n');
        return (nl < 0 ? out : out.substring(0, nl)).strip();
    }

    /**
     * Bulk load that congests exactly one rack's uplink, inbound: iperf3 from a server in the spine namespace
     * (the rack's gateway address) to the rack's first host, for {@code seconds}.
     */
    public void loadToSpine(String rack, int seconds) throws IOException, InterruptedException {
        TestbedHost from = firstHostOf(rack);
        startSpineServer();
        loadClient = iperfClient(from, seconds, 0);
    }

    /**
     * A ramp of bulk load from the spine into {@code rack}'s first host: {@code mbits[i]} Mbit/s for
     * {@code secondsEach} seconds each, one iperf3 run after another, in the background. {@link #offeredMbit()}
     * tells the step in progress.
     */
    public void loadRampToSpine(String rack, double[] mbits, int secondsEach) throws IOException, InterruptedException {
        TestbedHost from = firstHostOf(rack);
        startSpineServer();
        Thread ramp = new Thread(() -> {
            try {
                for (double m : mbits) {
                    offeredMbit = m;
                    Process p = iperfClient(from, secondsEach, m);
                    loadClient = p;
                    if (!p.waitFor(secondsEach + 5L, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                    if (loadClient != p) {
                        return; // stopped
                    }
                }
            } catch (IOException e) {
                System.err.println("testbed load ramp: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                offeredMbit = 0;
            }
        }, "testbed-load-ramp");
        ramp.setDaemon(true);
        ramp.start();
    }

    /** The bit rate the running ramp step offers (0 when none). */
    public double offeredMbit() {
        return offeredMbit;
    }

    private TestbedHost firstHostOf(String rack) {
        return hosts.values().stream().filter(h -> h.rack().equals(rack)).findFirst()
            .orElseThrow(() -> new ShadowVmException("no host in rack '" + rack + "'"));
    }

    private void startSpineServer() throws IOException, InterruptedException {
        run(List.of("ip", "netns", "exec", opts.prefix() + "spine", "iperf3", "-s", "-D", "-p", "5299", "--pidfile",
            opts.workDir().resolve("iperf3-spine.pid").toString()), 10);
    }

    /**
     * iperf3 between {@code host} and its rack's gateway (the spine), the spine sending ({@code -R}): bulk data
     * into the rack, so the uplink queues in the spine-to-rack direction, where requests reach the rack's
     * guests, while the rack's own outbound traffic (replication to shadows elsewhere) is not held up.
     * {@code mbit} 0: as fast as TCP goes, 2 streams.
     */
    private Process iperfClient(TestbedHost host, int seconds, double mbit) throws IOException {
        String gateway = host.address().substring(0, host.address().lastIndexOf('.')) + ".1";
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", host.netns(), "iperf3", "-c", gateway, "-p",
            "5299", "-R", "-t", String.valueOf(seconds)));
        cmd.addAll(mbit > 0 ? List.of("-b", String.format("%.2fM", mbit)) : List.of("-P", "2"));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(opts.workDir().resolve("iperf3-client.log").toFile())).start();
    }

    /** Background iperf3 load from {@code fromRack}'s first host to {@code toRack}'s (testbed/load.sh). */
    public void load(String fromRack, String toRack, int seconds) throws IOException, InterruptedException {
        scripts.capture("load.sh", List.of("--from-rack", fromRack, "--to-rack", toRack, "--seconds",
            String.valueOf(seconds), "--streams", "2", "--prefix", opts.prefix()));
    }

    /** Stops every load this cluster started (load.sh's and {@link #loadToSpine}'s). */
    public void stopLoad() throws IOException, InterruptedException {
        Process p = loadClient;
        loadClient = null;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        run(List.of("ip", "netns", "exec", opts.prefix() + "spine", "pkill", "-f", "iperf3 -s -D -p 5299"), 10);
        scripts.capture("load.sh", List.of("--stop", "--prefix", opts.prefix()));
    }

    private TestbedHost require(String host) {
        TestbedHost h = hosts.get(host);
        if (h == null) {
            throw new ShadowVmException("host '" + host + "' is not in the testbed (hosts: " + hosts.keySet() + ")");
        }
        return h;
    }

    private static String run(List<String> cmd, long timeoutSec) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Polls {@code condition} every 100 ms until true or {@code timeoutMs} passed. */
    public static boolean await(BooleanSupplier condition, long timeoutMs) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        for (Process p : agents.values()) {
            try {
                p.getOutputStream().close(); // --exit-on-stdin-eof: the agent stops its guests and exits
            } catch (IOException ignored) {
                // already gone
            }
        }
        for (Process p : agents.values()) {
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (controller != null) {
            controller.close();
        }
        for (String host : hosts.keySet()) {
            deleteTree(agentWorkDir(host)); // what a killed agent could not remove itself
        }
        if (built) {
            try {
                stopLoad();
                scripts.capture("down.sh", List.of("--prefix", opts.prefix()));
            } catch (IOException | RuntimeException e) {
                System.err.println("testbed down failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
