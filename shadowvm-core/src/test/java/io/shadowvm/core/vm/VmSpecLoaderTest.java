package io.shadowvm.core.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class VmSpecLoaderTest {
    static final String VMS = """
        vms:
          - {name: web-1, vcpus: 4, memoryMib: 8192, networkMbps: 500, shadows: 2, mode: serving, avoid: [rack], communicatesWith: [db-1]}
          - name: db-1
            vcpus: 8
            memoryMib: 16384
            shadows: 1
            avoid: [pod, power]
            maxLagMs: 200
            outputCommit: true
          - {name: batch, vcpus: 2, memoryMib: 2048, shadows: 0}
        """;

    @Test
    void loadsTheIssueSchemaWithDefaults() {
        var vms = VmSpecLoader.parse(VMS, "vms.yaml");
        assertThat(vms).extracting(VmSpec::name).containsExactly("web-1", "db-1", "batch");
        VmSpec web = vms.get(0);
        assertThat(web.policy().shadows()).isEqualTo(2);
        assertThat(web.policy().mode()).isEqualTo(ShadowMode.SERVING);
        assertThat(web.shadowVcpus()).isEqualTo(4);
        assertThat(web.communicatesWith()).containsExactly("db-1");
        VmSpec db = vms.get(1);
        assertThat(db.policy().mode()).isEqualTo(ShadowMode.STANDBY);
        assertThat(db.shadowVcpus()).isZero();
        assertThat(db.policy().avoid()).containsExactlyInAnyOrder(FailureDomain.RACK, FailureDomain.POD, FailureDomain.POWER);
        assertThat(db.policy().maxLagMs()).isEqualTo(200);
        assertThat(db.policy().outputCommit()).isTrue();
        assertThat(db.networkMbps()).isZero();
        assertThat(vms.get(2).policy().shadows()).isZero();
    }

    @Test
    void aNegativeShadowCountNamesFileLineColumnValueAndBound() {
        String bad = VMS.replace("shadows: 1\n", "shadows: -1\n");
        assertThatThrownBy(() -> VmSpecLoader.parse(bad, "vms.yaml"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("vms.yaml:6:14: vms[1].shadows: -1 (expected: 0..16)");
    }

    @Test
    void anUnknownModeListsTheAllowedModes() {
        String bad = VMS.replace("mode: serving", "mode: active");
        assertThatThrownBy(() -> VmSpecLoader.parse(bad, "vms.yaml"))
            .hasMessageContaining("vms[0].mode: 'active' (expected: one of standby, serving)");
    }

    @Test
    void anUnknownFailureDomainIsRejected() {
        String bad = VMS.replace("avoid: [pod, power]", "avoid: [pod, building]");
        assertThatThrownBy(() -> VmSpecLoader.parse(bad, "vms.yaml"))
            .hasMessageContaining("vms[1].avoid[1]: 'building' (expected: one of rack, pod, power)");
    }

    @Test
    void aDanglingCommunicatesWithReferenceIsAnError() {
        String bad = VMS.replace("communicatesWith: [db-1]", "communicatesWith: [db-9]");
        assertThatThrownBy(() -> VmSpecLoader.parse(bad, "vms.yaml"))
            .hasMessageContaining("vms[0].communicatesWith[0]: 'db-9' names no VM in this file");
    }

    @Test
    void duplicateVmNamesAreErrors() {
        String bad = VMS.replace("name: batch", "name: web-1");
        assertThatThrownBy(() -> VmSpecLoader.parse(bad, "vms.yaml"))
            .hasMessageContaining("duplicate VM name 'web-1' (first defined at line 2)");
    }

    @Test
    void unknownFieldsAndMissingFieldsAreErrors() {
        assertThatThrownBy(() -> VmSpecLoader.parse("vms:\n  - {name: a, vcpus: 1, memoryMib: 1, color: red}\n", "v.yaml"))
            .hasMessageContaining("vms[0].color: unknown field");
        assertThatThrownBy(() -> VmSpecLoader.parse("vms:\n  - {name: a, vcpus: 1}\n", "v.yaml"))
            .hasMessageContaining("vms[0]: missing required field 'memoryMib'");
        assertThatThrownBy(() -> VmSpecLoader.parse("vms:\n  - {name: 'a b', vcpus: 1, memoryMib: 1}\n", "v.yaml"))
            .hasMessageContaining("vms[0].name: 'a b' (expected: 1-63 characters");
        assertThatThrownBy(() -> VmSpecLoader.parse("machines: []\n", "v.yaml"))
            .hasMessageContaining("machines: unknown field (allowed: vms)");
    }

    @Test
    void rackIsAlwaysAvoidedEvenWhenOnlyPowerIsAsked() {
        var vms = VmSpecLoader.parse("vms:\n  - {name: a, vcpus: 1, memoryMib: 1, avoid: [power]}\n", "v.yaml");
        assertThat(vms.get(0).policy().avoid()).containsExactlyInAnyOrder(FailureDomain.RACK, FailureDomain.POWER);
    }
}
