package io.shadowvm.monitor.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowvm.monitor.MonitorMain;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The testbed end to end (needs root; CI runs it): 2 racks × 2 hosts with 5 Mbit/s uplinks (100 ms queue), agents as
 * child JVMs inside the host namespaces and one in switch mode in rack r1's ToR namespace. iperf3 loads
 * r1's uplink; the agents must see the uplink saturate, cross-rack RTT through its queue rise several
 * times while intra-rack RTT does not, and both return to normal when the load stops.
 */
class CongestionTestbedTest {
    private static final String PREFIX = "svtbt-";
    private static final int UPLINK_MBIT = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    private static Path testbed;
    private static boolean built;
    private static final List<Process> agents = new ArrayList<>();
    private static final List<Sample> samples = new CopyOnWriteArrayList<>();

    record Sample(long ts, String agent, String metric, String dst, String link, double value) {
    }

    @BeforeAll
    static void buildTestbed() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean tools = onPath("ip") && onPath("tc");
        if (!root || !tools) {
            String why = !root ? "the testbed needs root (network namespaces)"
                : "ip/tc (Debian iproute2) are not installed";
            System.out.println("CongestionTestbedTest skipped: " + why);
            Assumptions.assumeTrue(false, why);
        }
        testbed = findTestbedDir();
        run(testbed.resolve("down.sh").toString(), "--prefix", PREFIX); // a crashed earlier run
        built = true;
        Path topology = tmp.resolve("topology.yaml");
        run(testbed.resolve("up.sh").toString(), "--racks", "2", "--hosts-per-rack", "2", "--uplink-mbit",
            String.valueOf(UPLINK_MBIT), "--queue-ms", "100", "--prefix", PREFIX, "--topology-out", topology.toString());
        Path status = tmp.resolve("status.json");
        Files.writeString(status, run(testbed.resolve("status.sh").toString(), "--json", "--prefix", PREFIX));
        String[] common = {"--topology", topology.toString(), "--addresses", status.toString(), "--interval-ms", "100",
            "--timeout-ms", "1000", "--counter-tick-ms", "500", "--exit-on-stdin-eof"};
        startAgent(PREFIX + "h-r1h1", "r1h1", common, "--host", "r1h1", "--peers", "r1h2");
        startAgent(PREFIX + "h-r2h1", "r2h1", common, "--host", "r2h1", "--peers", "r1h2");
        startAgent(PREFIX + "h-r1h2", "r1h2", common, "--host", "r1h2", "--peers", "r1h1,r2h1");
        startAgent(PREFIX + "tor-r1", "tor-r1", common, "--switch", "--name", "tor-r1");
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (Process p : agents) {
            p.getOutputStream().close(); // --exit-on-stdin-eof
        }
        for (Process p : agents) {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (built) {
            run(testbed.resolve("load.sh").toString(), "--stop", "--prefix", PREFIX);
            run(testbed.resolve("down.sh").toString(), "--prefix", PREFIX);
        }
    }

    @Test
    void shouldSeeTheLoadedUplinkSaturateAndCrossRackLatencyRiseThenRecover() throws Exception {
        // JVM start-up inside the namespaces can be slow on a loaded machine: wait for every stream
        assertThat(await(() -> count(rtt("r2h1"), 0) >= 5 && count(rtt("r1h1"), 0) >= 5
            && count(uplinkUtil(), 0) >= 3, 120_000)).as("agents streaming within 120 s: %s", summary()).isTrue();

        long idleFrom = System.currentTimeMillis();
        assertThat(await(() -> count(rtt("r2h1"), idleFrom) >= 30 && count(rtt("r1h1"), idleFrom) >= 30
            && count(uplinkUtil(), idleFrom) >= 6, 30_000)).isTrue();
        long idleTo = System.currentTimeMillis();

        run(testbed.resolve("load.sh").toString(), "--from-rack", "r1", "--to-rack", "r2", "--seconds", "30",
            "--streams", "2", "--prefix", PREFIX);
        long loadStart = System.currentTimeMillis();
        long loadFrom = loadStart + 2_000; // the queue needs a moment to fill
        assertThat(await(() -> count(rtt("r2h1"), loadFrom) >= 30 && count(rtt("r1h1"), loadFrom) >= 30
            && count(uplinkUtil(), loadFrom) >= 8, 30_000)).isTrue();
        long loadTo = System.currentTimeMillis();
        run(testbed.resolve("load.sh").toString(), "--stop", "--prefix", PREFIX);

        long afterFrom = System.currentTimeMillis() + 2_000;
        assertThat(await(() -> count(rtt("r2h1"), afterFrom) >= 30 && count(rtt("r1h1"), afterFrom) >= 30
            && count(uplinkUtil(), afterFrom) >= 6, 30_000)).isTrue();
        long afterTo = System.currentTimeMillis();

        double crossIdle = median(rtt("r2h1"), idleFrom, idleTo);
        double crossLoaded = median(rtt("r2h1"), loadFrom, loadTo);
        double crossAfter = median(rtt("r2h1"), afterFrom, afterTo);
        double intraIdle = median(rtt("r1h1"), idleFrom, idleTo);
        double intraLoaded = median(rtt("r1h1"), loadFrom, loadTo);
        double utilIdle = median(uplinkUtil(), idleFrom, idleTo);
        double utilLoaded = median(uplinkUtil(), loadFrom, loadTo);
        double utilAfter = median(uplinkUtil(), afterFrom, afterTo);
        String figures = String.format(java.util.Locale.ROOT, "cross-rack RTT ms idle %.3f loaded %.3f after %.3f; "
            + "intra-rack RTT ms idle %.3f loaded %.3f; r1-spine utilization idle %.3f loaded %.3f after %.3f",
            crossIdle, crossLoaded, crossAfter, intraIdle, intraLoaded, utilIdle, utilLoaded, utilAfter);
        System.out.println("testbed congestion: " + figures);

        assertThat(utilLoaded).as(figures).isBetween(0.8, 1.1);
        assertThat(utilIdle).as(figures).isLessThan(0.2);
        assertThat(crossLoaded).as(figures).isGreaterThanOrEqualTo(Math.max(5 * crossIdle, crossIdle + 10));
        assertThat(intraLoaded).as(figures).isLessThanOrEqualTo(Math.max(3 * intraIdle, intraIdle + 5));
        assertThat(crossAfter).as(figures).isLessThanOrEqualTo(Math.max(3 * crossIdle, crossIdle + 5));
        assertThat(utilAfter).as(figures).isLessThan(0.2);
    }

    private static Predicate<Sample> rtt(String dst) {
        return s -> s.agent().equals("r1h2") && s.metric().equals("rtt_ms") && dst.equals(s.dst());
    }

    private static Predicate<Sample> uplinkUtil() {
        return s -> s.agent().equals("tor-r1") && s.metric().equals("link_util") && "r1-spine".equals(s.link());
    }

    private static long count(Predicate<Sample> p, long fromMs) {
        return samples.stream().filter(p).filter(s -> s.ts() >= fromMs).count();
    }

    private static double median(Predicate<Sample> p, long fromMs, long toMs) {
        double[] v = samples.stream().filter(p).filter(s -> s.ts() >= fromMs && s.ts() < toMs)
            .mapToDouble(Sample::value).sorted().toArray();
        assertThat(v).as("samples between %d and %d", fromMs, toMs).isNotEmpty();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String summary() {
        return samples.size() + " samples; per agent/metric: " + samples.stream()
            .collect(java.util.stream.Collectors.groupingBy(s -> s.agent() + "/" + s.metric(),
                java.util.stream.Collectors.counting()));
    }

    private static boolean await(BooleanSupplier cond, long maxMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline || agents.stream().anyMatch(p -> !p.isAlive())) {
                return cond.getAsBoolean();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return true;
    }

    private static void startAgent(String netns, String name, String[] common, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k",
            "-cp", System.getProperty("java.class.path"), MonitorMain.class.getName()));
        cmd.addAll(Arrays.asList(common));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve(name + ".err").toFile()).start();
        agents.add(p);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    JsonNode n = JSON.readTree(line);
                    samples.add(new Sample(n.get("ts").asLong(), name, n.get("metric").asText(),
                        n.has("dst") ? n.get("dst").asText() : null, n.has("link") ? n.get("link").asText() : null,
                        n.get("value").asDouble()));
                }
            } catch (IOException e) {
                // the agent went away; the test notices the missing samples
            }
        }, "agent-output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    private static Path findTestbedDir() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isExecutable(d.resolve("testbed/up.sh"))) {
                return d.resolve("testbed");
            }
        }
        throw new IllegalStateException("testbed/up.sh not found above " + System.getProperty("user.dir"));
    }
}
