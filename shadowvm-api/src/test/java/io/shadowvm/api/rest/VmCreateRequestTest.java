package io.shadowvm.api.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.VmSpec;
import org.junit.jupiter.api.Test;

class VmCreateRequestTest {
    @Test
    void aMinimalRequestGetsTheDocumentedDefaults() {
        VmSpec spec = ApiJson.read("{\"name\":\"web1\"}", VmCreateRequest.class).toSpec();
        assertThat(spec.name()).isEqualTo("web1");
        assertThat(spec.vcpus()).isEqualTo(VmCreateRequest.DEFAULT_VCPUS);
        assertThat(spec.memoryMib()).isEqualTo(VmCreateRequest.DEFAULT_MEMORY_MIB);
        assertThat(spec.policy().shadows()).isEqualTo(1);
        assertThat(spec.policy().mode()).isEqualTo(ShadowMode.STANDBY);
        assertThat(spec.policy().avoids(FailureDomain.RACK)).isTrue();
    }

    @Test
    void aFullRequestIsMappedFieldByField() {
        VmSpec spec = ApiJson.read("{\"name\":\"db\",\"vcpus\":2,\"memoryMib\":512,\"networkMbps\":50,"
            + "\"shadowPolicy\":{\"shadows\":2,\"mode\":\"serving\",\"avoid\":[\"pod\"],\"maxLagMs\":500,"
            + "\"stalenessMs\":900,\"allowPartial\":true},\"communicatesWith\":[\"web1\"],\"guest\":\"qemu\"}",
            VmCreateRequest.class).toSpec();
        assertThat(spec.policy().shadows()).isEqualTo(2);
        assertThat(spec.policy().mode()).isEqualTo(ShadowMode.SERVING);
        assertThat(spec.policy().avoid()).containsExactlyInAnyOrder(FailureDomain.RACK, FailureDomain.POD);
        assertThat(spec.policy().maxLagMs()).isEqualTo(500);
        assertThat(spec.communicatesWith()).containsExactly("web1");
    }

    @Test
    void anUnknownTopLevelFieldIsRejectedByName() {
        assertThatThrownBy(() -> ApiJson.read("{\"name\":\"a\",\"cpus\":2}", VmCreateRequest.class))
            .isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.field()).isEqualTo("cpus");
            })
            .hasMessageContaining("unknown field 'cpus'").hasMessageContaining("vcpus");
    }

    @Test
    void anUnknownNestedFieldIsRejectedWithItsPath() {
        assertThatThrownBy(() -> ApiJson.read("{\"name\":\"a\",\"shadowPolicy\":{\"count\":2}}",
            VmCreateRequest.class))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("shadowPolicy.count"));
    }

    @Test
    void aStringWhereANumberBelongsNamesTheField() {
        assertThatThrownBy(() -> ApiJson.read("{\"name\":\"a\",\"vcpus\":\"two\"}", VmCreateRequest.class))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("vcpus"));
    }

    @Test
    void outOfRangeValuesNameTheValueAndTheBound() {
        assertThatThrownBy(() -> ApiJson.read("{\"name\":\"a\",\"shadowPolicy\":{\"shadows\":17}}",
            VmCreateRequest.class).toSpec())
            .hasMessage("shadowPolicy.shadows: 17 (expected: 0..16)");
        assertThatThrownBy(() -> ApiJson.read("{\"name\":\"A B\"}", VmCreateRequest.class).toSpec())
            .hasMessageContaining("name: 'A B'");
        assertThatThrownBy(() -> ApiJson.read("{\"vcpus\":1}", VmCreateRequest.class).toSpec())
            .hasMessageContaining("name: missing");
    }

    @Test
    void malformedJsonSaysWhere() {
        assertThatThrownBy(() -> ApiJson.read("{\"name\":", VmCreateRequest.class))
            .isInstanceOf(ApiException.class).hasMessageContaining("malformed JSON at line 1");
        assertThatThrownBy(() -> ApiJson.read("{\"name\":\"a\"} {}", VmCreateRequest.class))
            .isInstanceOf(ApiException.class);
    }
}
