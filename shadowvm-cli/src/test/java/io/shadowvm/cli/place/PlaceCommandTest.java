package io.shadowvm.cli.place;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowvm.cli.ShadowVm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaceCommandTest {
    private static final String TOPOLOGY = Path.of("..", "examples", "topology.yaml").toString();
    private static final String VMS = Path.of("..", "examples", "vms.yaml").toString();

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return ShadowVm.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void shouldPlaceTheExamplesAndPrintATableWithRacksAndSyncHeadroom() {
        assertThat(run("place", "--topology", TOPOLOGY, "--vms", VMS)).isZero();
        assertThat(out.toString())
            .contains("VM", "PRIMARY", "SHADOWS", "SYNC HEADROOM")
            .containsPattern("db-1 +h\\d+/r\\d +h\\d+/r\\d, h\\d+/r\\d, h\\d+/r\\d +\\d+\\.\\d Gbps")
            .contains("unplaced: analytics-1: no host has 768 GiB free for the primary")
            .contains("partial: queue-3: no rack left for shadow 2 of 3")
            .contains("39 of 40 VMs placed");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shouldPrintExactlyTheDocumentedJsonAndExitZeroWithUnplacedVms() throws IOException {
        assertThat(run("place", "--topology", TOPOLOGY, "--vms", VMS, "--json")).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(fieldNames(root)).containsExactly("placements", "unplaced", "stats");
        JsonNode first = root.get("placements").get(0);
        assertThat(fieldNames(first)).containsExactly("vm", "primary", "shadows");
        assertThat(first.get("vm").asText()).isEqualTo("db-1");
        assertThat(first.get("primary").asText()).matches("h\\d+");
        assertThat(first.get("shadows")).hasSize(3);
        assertThat(root.get("placements")).hasSize(39);
        JsonNode unplaced = root.get("unplaced").get(0);
        assertThat(fieldNames(unplaced)).containsExactly("vm", "reason");
        assertThat(unplaced.get("vm").asText()).isEqualTo("analytics-1");
        assertThat(unplaced.get("reason").asText()).startsWith("analytics-1: no host has 768 GiB free");
        assertThat(fieldNames(root.get("stats"))).containsExactly("vms", "placed", "millis");
        assertThat(root.get("stats").get("vms").asInt()).isEqualTo(40);
        assertThat(root.get("stats").get("placed").asInt()).isEqualTo(39);
        assertThat(out.toString()).startsWith("{\"placements\":[{\"vm\":\"db-1\",\"primary\":\"h");
    }

    @Test
    void shouldPlaceTheSameWayTwiceWithTheSameSeed() throws IOException {
        run("place", "--topology", TOPOLOGY, "--vms", VMS, "--json", "--seed", "5");
        JsonNode a = new ObjectMapper().readTree(out.toString()).get("placements");
        run("place", "--topology", TOPOLOGY, "--vms", VMS, "--json", "--seed", "5");
        JsonNode b = new ObjectMapper().readTree(out.toString()).get("placements");
        assertThat(a).isEqualTo(b);
    }

    @Test
    void shouldRebalanceAfterPlacingAndKeepEveryShadowOffItsPrimarysRack() throws IOException {
        assertThat(run("place", "--topology", TOPOLOGY, "--vms", VMS, "--rebalance-seconds", "0.5")).isZero();
        assertThat(out.toString()).containsPattern("rebalanced in \\d+ ms: score 0hard/-\\d+soft -> 0hard/-\\d+soft");
        assertThat(run("place", "--topology", TOPOLOGY, "--vms", VMS, "--rebalance-seconds", "0.5", "--json")).isZero();
        JsonNode placements = new ObjectMapper().readTree(out.toString()).get("placements");
        assertThat(placements).hasSize(39);
        io.shadowvm.core.topology.Topology t = io.shadowvm.core.topology.TopologyLoader.load(Path.of(TOPOLOGY));
        for (JsonNode p : placements) {
            int primaryRack = t.host(p.get("primary").asText()).rack();
            for (JsonNode shadow : p.get("shadows")) {
                assertThat(t.host(shadow.asText()).rack()).as(p.get("vm").asText()).isNotEqualTo(primaryRack);
            }
        }
    }

    @Test
    void shouldBeAUsageErrorForANegativeRebalanceTime() {
        assertThat(run("place", "--topology", TOPOLOGY, "--vms", VMS, "--rebalance-seconds", "-1"))
            .isEqualTo(ShadowVm.EXIT_USAGE);
        assertThat(err.toString()).contains("--rebalance-seconds: -1.0 (expected: 0..3600)");
    }

    @Test
    void shouldExitOneWithFileLineAndColumnAndNoStackTraceForAYamlMistake() throws IOException {
        Path vms = dir.resolve("vms.yaml");
        Files.writeString(vms, "vms:\n  - {name: web-1, vcpus: 4, memoryMib: 8192, shadows: -1}\n");
        assertThat(run("place", "--topology", TOPOLOGY, "--vms", vms.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(vms + ":2:").contains("shadows: -1 (expected: 0..16)")
            .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldExitOneForAnUnknownFieldInTheTopology() throws IOException {
        Path topo = dir.resolve("t.yaml");
        Files.writeString(topo, "datacenter: d\npods:\n  - name: p1\n    racks:\n      - name: r1\n        uplinkGbps: 1\n"
            + "        hosts:\n          - {name: h1, cores: 4, memoryMib: 1024, nicGbps: 1, gpus: 2}\n");
        assertThat(run("place", "--topology", topo.toString(), "--vms", VMS)).isEqualTo(1);
        assertThat(err.toString()).startsWith("shadowvm: " + topo + ":8:").contains("gpus").doesNotContain("\tat ");
    }

    @Test
    void shouldExitOneWhenAFileIsMissing() {
        assertThat(run("place", "--topology", "no-such.yaml", "--vms", VMS)).isEqualTo(1);
        assertThat(err.toString()).contains("no-such.yaml").contains("no such file");
    }

    @Test
    void shouldBeAUsageErrorWithoutTheTopologyOption() {
        assertThat(run("place", "--vms", VMS)).isEqualTo(ShadowVm.EXIT_USAGE);
        assertThat(err.toString()).contains("--topology");
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> l = new ArrayList<>();
        n.fieldNames().forEachRemaining(l::add);
        return l;
    }
}
