package io.shadowvm.monitor.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowvm.core.topology.Link;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyLoader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The testbed scripts' contract (needs root; CI runs it): what up builds, writes and down removes. */
class TestbedScriptsTest {
    private static final String PREFIX = "svtbs-";
    private Path testbed;

    @TempDir
    Path tmp;

    record Result(int code, String out) {
    }

    @BeforeEach
    void requireRoot() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean tools = onPath("ip") && onPath("tc");
        if (!root || !tools) {
            String why = !root ? "the testbed needs root (network namespaces)" : "ip/tc (Debian iproute2) are not installed";
            System.out.println("TestbedScriptsTest skipped: " + why);
            Assumptions.assumeTrue(false, why);
        }
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isExecutable(d.resolve("testbed/up.sh"))) {
                testbed = d.resolve("testbed");
                break;
            }
        }
        assertThat(testbed).as("testbed/up.sh above " + System.getProperty("user.dir")).isNotNull();
        run("down.sh", "--prefix", PREFIX);
    }

    @AfterEach
    void down() throws Exception {
        if (testbed != null) {
            run("down.sh", "--prefix", PREFIX);
        }
    }

    @Test
    void shouldWriteATopologyAndStatusDescribingExactlyWhatItBuilt() throws Exception {
        Path topo = tmp.resolve("t.yaml");
        assertThat(run("up.sh", "--racks", "2", "--hosts-per-rack", "3", "--uplink-mbit", "20", "--prefix", PREFIX,
            "--topology-out", topo.toString()).code()).isZero();
        Topology t = TopologyLoader.load(topo);
        assertThat(t.hosts()).hasSize(6);
        assertThat(t.rack("r2").uplinkGbps()).isEqualTo(0.02);

        JsonNode status = new ObjectMapper().readTree(run("status.sh", "--json", "--prefix", PREFIX).out());
        assertThat(status.fieldNames()).toIterable().containsExactly("topology", "hosts", "uplinks");
        assertThat(status.get("topology").asText()).isEqualTo(topo.toString());
        assertThat(status.get("hosts")).hasSize(6);
        JsonNode h = status.get("hosts").get(4);
        assertThat(h.fieldNames()).toIterable().containsExactly("name", "rack", "netns", "address");
        assertThat(h.get("name").asText()).isEqualTo("r2h2");
        assertThat(h.get("netns").asText()).isEqualTo(PREFIX + "h-r2h2");
        assertThat(h.get("address").asText()).isEqualTo("10.77.2.12");
        assertThat(status.get("uplinks").get(1).get("mbit").asInt()).isEqualTo(20);

        // every topology link exists as an interface of that name on both of its ends
        for (Link l : t.links()) {
            String[] ends = l.kind() == Link.Kind.HOST
                ? new String[] {PREFIX + "h-" + l.name().substring(0, l.name().indexOf('-')),
                    PREFIX + "tor-" + l.name().substring(l.name().indexOf('-') + 1)}
                : new String[] {PREFIX + "tor-" + l.name().substring(0, l.name().indexOf('-')), PREFIX + "spine"};
            for (String ns : ends) {
                assertThat(run("/usr/sbin/ip", "-n", ns, "link", "show", l.name()).code()).as("%s in %s", l.name(), ns)
                    .isZero();
            }
            if (l.kind() == Link.Kind.UPLINK) {
                assertThat(run("/usr/sbin/tc", "-n", ends[0], "qdisc", "show", "dev", l.name()).out()).contains("tbf")
                    .contains("20Mbit");
                assertThat(run("/usr/sbin/tc", "-n", ends[1], "qdisc", "show", "dev", l.name()).out()).contains("tbf");
            }
        }
        // hosts reach each other across racks through the spine: a closed port answers with a reset
        assertThat(run("/usr/sbin/ip", "netns", "exec", PREFIX + "h-r1h1", "timeout", "10", "bash", "-c",
            "exec 3<>/dev/tcp/10.77.2.13/9").out()).contains("Connection refused");
    }

    @Test
    void shouldRefuseASecondUpAndBadArgumentsNamingTheBound() throws Exception {
        assertThat(run("up.sh", "--racks", "1", "--hosts-per-rack", "1", "--prefix", PREFIX,
            "--topology-out", tmp.resolve("t.yaml").toString()).code()).isZero();
        Result again = run("up.sh", "--racks", "1", "--hosts-per-rack", "1", "--prefix", PREFIX);
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.out()).contains("already up");
        Result bad = run("up.sh", "--racks", "51", "--hosts-per-rack", "1", "--prefix", "svtbz-");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out()).contains("invalid --racks: '51' (expected: 1-50)");
    }

    @Test
    void shouldCleanUpAfterACrashedRunAndBeIdempotent() throws Exception {
        Path topo = tmp.resolve("t.yaml");
        assertThat(run("up.sh", "--racks", "2", "--hosts-per-rack", "1", "--prefix", PREFIX,
            "--topology-out", topo.toString()).code()).isZero();
        // a crash that lost the state directory, with a process left running in a host namespace
        run("/usr/sbin/ip", "netns", "exec", PREFIX + "h-r1h1", "bash", "-c", "sleep 300 >/dev/null 2>&1 &");
        run("rm", "-rf", "/run/shadowvm-testbed/" + PREFIX.substring(0, PREFIX.length() - 1));
        assertThat(run("down.sh", "--prefix", PREFIX).code()).isZero();
        assertThat(run("/usr/sbin/ip", "netns", "list").out()).doesNotContain(PREFIX);
        assertThat(run("down.sh", "--prefix", PREFIX).code()).isZero();
        assertThat(run("status.sh", "--prefix", PREFIX).code()).isEqualTo(1);
    }

    private Result run(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(script.startsWith("/") || !script.endsWith(".sh") ? script : testbed.resolve(script).toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool));
    }
}
