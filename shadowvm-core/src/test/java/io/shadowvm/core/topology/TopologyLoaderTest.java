package io.shadowvm.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class TopologyLoaderTest {
    static final String SMALL = """
        datacenter: dc1
        pods:
          - name: p1
            racks:
              - name: r1
                uplinkGbps: 40
                power: pdu-a
                hosts:
                  - {name: h1, cores: 32, memoryMib: 262144, nicGbps: 25}
                  - {name: h2, cores: 16, memoryMib: 65536, nicGbps: 10}
              - name: r2
                uplinkGbps: 40
                hosts:
                  - {name: h3, cores: 32, memoryMib: 262144, nicGbps: 25}
          - name: p2
            racks:
              - name: r3
                uplinkGbps: 100
                hosts:
                  - {name: h4, cores: 64, memoryMib: 524288, nicGbps: 50, linkLatencyUs: 5}
        """;

    @Test
    void loadsTheIssueSchemaWithPodsRacksHostsAndLinks() {
        Topology t = TopologyLoader.parse(SMALL, "t.yaml");
        assertThat(t.datacenter()).isEqualTo("dc1");
        assertThat(t.hosts()).extracting(Host::name).containsExactly("h1", "h2", "h3", "h4");
        assertThat(t.rackOf(t.host("h3")).name()).isEqualTo("r2");
        assertThat(t.podOf(t.host("h4")).name()).isEqualTo("p2");
        assertThat(t.powerOf(t.host("h1"))).isEqualTo("pdu-a");
        assertThat(t.powerOf(t.host("h3"))).isEqualTo("rack:r2");
        assertThat(t.links()).extracting(Link::name).contains("h1-r1", "h4-r3", "r1-spine", "r3-spine");
        assertThat(t.link("r3-spine").capacityGbps()).isEqualTo(100);
    }

    @Test
    void pathsCrossHostLinksAndUplinksOnlyWhenRacksDiffer() {
        Topology t = TopologyLoader.parse(SMALL, "t.yaml");
        int h1 = t.host("h1").index(), h2 = t.host("h2").index(), h3 = t.host("h3").index(), h4 = t.host("h4").index();
        assertThat(t.path(h1, h2).links()).extracting(Link::name).containsExactly("h1-r1", "h2-r1");
        assertThat(t.path(h1, h3).links()).extracting(Link::name).containsExactly("h1-r1", "r1-spine", "r2-spine", "h3-r2");
        assertThat(t.hops(h1, h1)).isZero();
        assertThat(t.hops(h1, h2)).isEqualTo(2);
        assertThat(t.hops(h1, h3)).isEqualTo(4);
        assertThat(t.hops(h1, h4)).isEqualTo(6);
        assertThat(t.path(h2, h4).bottleneckGbps()).isEqualTo(10);
        assertThat(t.path(h1, h4).latencyUs()).isEqualTo(5);
    }

    @Test
    void anUnknownFieldIsRejectedWithFileLineColumnAndTheAllowedFields() {
        String bad = SMALL.replace("{name: h2, cores: 16", "{name: h2, cpus: 16");
        assertThatThrownBy(() -> TopologyLoader.parse(bad, "t.yaml"))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("t.yaml:10:")
            .hasMessageContaining("pods[0].racks[0].hosts[1].cpus: unknown field (allowed: cores, linkLatencyUs, memoryMib, name, nicGbps)");
    }

    @Test
    void aMissingCapacityNamesTheField() {
        String bad = SMALL.replace("        uplinkGbps: 100\n", "");
        assertThatThrownBy(() -> TopologyLoader.parse(bad, "t.yaml"))
            .hasMessageContaining("pods[1].racks[0]: missing required field 'uplinkGbps'");
    }

    @Test
    void anImpossibleCapacityNamesValueAndBound() {
        String bad = SMALL.replace("cores: 64", "cores: -4");
        assertThatThrownBy(() -> TopologyLoader.parse(bad, "t.yaml"))
            .hasMessage("t.yaml:20:31: pods[1].racks[0].hosts[0].cores: -4 (expected: 1..4096)");
    }

    @Test
    void aNonNumberIsReportedAsSuch() {
        String bad = SMALL.replace("uplinkGbps: 40\n        power", "uplinkGbps: fast\n        power");
        assertThatThrownBy(() -> TopologyLoader.parse(bad, "t.yaml"))
            .hasMessageContaining("pods[0].racks[0].uplinkGbps: 'fast' (expected: a number in");
    }

    @Test
    void duplicateHostNamesAreErrorsNamingTheFirstDefinition() {
        String bad = SMALL.replace("name: h3", "name: h1");
        assertThatThrownBy(() -> TopologyLoader.parse(bad, "t.yaml"))
            .hasMessageContaining("duplicate host name 'h1' (first defined at line 9)");
    }

    @Test
    void emptyRacksAndInvalidYamlAreErrorsNotStackTraces() {
        assertThatThrownBy(() -> TopologyLoader.parse("datacenter: d\npods: []\n", "t.yaml"))
            .hasMessage("t.yaml:2:7: pods: empty (expected: at least one pod)");
        assertThatThrownBy(() -> TopologyLoader.parse("datacenter: [d\npods: x", "t.yaml"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("invalid YAML");
        assertThatThrownBy(() -> TopologyLoader.parse("", "t.yaml")).hasMessage("t.yaml:1:1: the file is empty");
    }

    @Test
    void aDuplicateKeyIsAnError() {
        assertThatThrownBy(() -> TopologyLoader.parse("datacenter: a\ndatacenter: b\npods: []\n", "t.yaml"))
            .hasMessage("t.yaml:2:1: datacenter: duplicate field");
    }

    @Test
    void theGeneratorsOutputRoundTripsThroughTheLoader() {
        Topology g = TopologyGenerator.generate(new TopologyGenerator.Spec(2, 3, 4, 7, true, 100, "gen"));
        assertThat(g.hosts()).hasSize(24);
        String yaml = TopologyYaml.write(g);
        Topology back = TopologyLoader.parse(yaml, "gen.yaml");
        assertThat(TopologyYaml.write(back)).isEqualTo(yaml);
        assertThat(back.hosts()).extracting(Host::cores).containsAnyOf(16, 64);
        assertThat(back.racks()).extracting(Rack::power).contains("p1-pdu-a", "p1-pdu-b");
    }

    @Test
    void theGeneratorIsDeterministicForASeed() {
        var spec = new TopologyGenerator.Spec(1, 2, 10, 42, true, 40, "d");
        assertThat(TopologyYaml.write(TopologyGenerator.generate(spec)))
            .isEqualTo(TopologyYaml.write(TopologyGenerator.generate(spec)));
    }
}
