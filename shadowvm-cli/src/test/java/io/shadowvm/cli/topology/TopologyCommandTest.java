package io.shadowvm.cli.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.cli.ShadowVm;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyCommandTest {
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
    void shouldShowHostsAsExactlyTheDocumentedJson() throws IOException {
        Path t = dir.resolve("t.yaml");
        Files.writeString(t, """
            datacenter: dc1
            pods:
              - name: p1
                racks:
                  - name: r1
                    uplinkGbps: 40
                    power: pdu-a
                    hosts:
                      - {name: h1, cores: 32, memoryMib: 262144, nicGbps: 25}
            """);
        assertThat(run("topology", "show", "--topology", t.toString(), "--json")).isZero();
        assertThat(out.toString().trim())
            .isEqualTo("{\"hosts\":[{\"name\":\"h1\",\"rack\":\"r1\",\"pod\":\"p1\",\"cores\":32,\"memoryMib\":262144}]}");
    }

    @Test
    void shouldShowTheExampleTopologyAsATable() {
        assertThat(run("topology", "show", "--topology", Path.of("..", "examples", "topology.yaml").toString())).isZero();
        assertThat(out.toString()).contains("HOST", "RACK", "POD", "POWER", "CORES", "MEMORY")
            .containsPattern("h1 +r1 +p1 +pdu-a +32 +256 GiB +25 Gbps")
            .contains("dc1: 2 pods, 6 racks, 24 hosts");
    }

    @Test
    void shouldGenerateATopologyThatTheLoaderReadsBack() {
        assertThat(run("topology", "generate", "--pods", "2", "--racks-per-pod", "3", "--hosts-per-rack", "5",
            "--seed", "7", "--heterogeneous")).isZero();
        Topology t = TopologyLoader.parse(out.toString(), "dc.yaml");
        assertThat(t.pods()).hasSize(2);
        assertThat(t.racks()).hasSize(6);
        assertThat(t.hosts()).hasSize(30);
        String first = out.toString();
        run("topology", "generate", "--pods", "2", "--racks-per-pod", "3", "--hosts-per-rack", "5", "--seed", "7",
            "--heterogeneous");
        assertThat(out.toString()).isEqualTo(first);
    }

    @Test
    void shouldGenerateTheDefaultFourPodsOfEightRacksOfFortyHosts() {
        assertThat(run("topology", "generate")).isZero();
        assertThat(TopologyLoader.parse(out.toString(), "dc.yaml").hosts()).hasSize(4 * 8 * 40);
    }

    @Test
    void shouldExitOneNamingTheBoundForAnImpossibleSize() {
        assertThat(run("topology", "generate", "--pods", "0")).isEqualTo(1);
        assertThat(err.toString()).contains("pods: 0 (expected: 1..10000)").doesNotContain("\tat ");
    }

    @Test
    void shouldBeAUsageErrorWithoutASubcommand() {
        assertThat(run("topology")).isEqualTo(ShadowVm.EXIT_USAGE);
    }
}
