package io.shadowvm.controller.interim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.controller.loop.Placer;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GreedyRackAwarePlacerTest {
    // two racks of one host each
    final Topology topology = TopologyGenerator.generate(new TopologyGenerator.Spec(1, 2, 1, 1, false, 40, "dc1"));
    final GreedyRackAwarePlacer placer = new GreedyRackAwarePlacer(topology);
    final Set<String> all = Set.of("p1r1h1", "p1r2h1");

    @Test
    void aHostBackInServiceNoLongerCountsItsStaleInstances() {
        long mem = topology.host("p1r1h1").memoryMib();
        VmSpec lost = new VmSpec("lost", 1, mem, 10, ShadowPolicy.of(0, ShadowMode.STANDBY), List.of());
        VmSpec next = new VmSpec("next", 1, mem, 10, ShadowPolicy.of(0, ShadowMode.STANDBY), List.of());
        assertThat(placer.place(lost, Set.of("p1r1h1")).primary()).isEqualTo("p1r1h1");
        // the host died with no shadow to promote: the loop still records the VM there, and the host is full
        assertThatThrownBy(() -> placer.place(next, Set.of("p1r1h1"))).isInstanceOf(ShadowVmException.class);

        placer.hostBackInService("p1r1h1"); // re-registered; the stale primary is being stopped

        assertThat(placer.place(next, Set.of("p1r1h1")).primary()).isEqualTo("p1r1h1");
    }

    @Test
    void hostBackInServiceNamesAHostThatIsNotInTheTopology() {
        assertThatThrownBy(() -> placer.hostBackInService("nope")).isInstanceOf(ShadowVmException.class)
            .hasMessage("no host named 'nope' in datacenter dc1 (2 hosts)");
    }
}
