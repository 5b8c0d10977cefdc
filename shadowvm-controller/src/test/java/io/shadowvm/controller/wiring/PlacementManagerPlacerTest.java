package io.shadowvm.controller.wiring;

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

/** The loop's placer on shadowvm-placement, driven the way the loop drives it. Racks p1r1..p1r4, one host each. */
class PlacementManagerPlacerTest {
    final Topology topology = TopologyGenerator.generate(new TopologyGenerator.Spec(1, 4, 1, 1, false, 40, "dc1"));
    final PlacementManagerPlacer placer = new PlacementManagerPlacer(topology, 1);
    final Set<String> all = Set.of("p1r1h1", "p1r2h1", "p1r3h1", "p1r4h1");
    final VmSpec db = new VmSpec("db", 1, 64, 10, ShadowPolicy.of(2, ShadowMode.STANDBY), List.of());

    @Test
    void aReplacementShadowGoesToARackApartFromThePrimaryAndTheOtherShadow() {
        Placer.Choice c = placer.place(db, all);
        String lost = c.shadows().get(1);
        Set<String> usable = without(all, lost);

        String added = placer.placeShadow(db, c.primary(), List.of(c.shadows().get(0)), usable);

        assertThat(added).isNotNull().isNotIn(c.primary(), c.shadows().get(0), lost);
    }

    @Test
    void noReplacementShadowWhenEveryOtherRackIsOutOfService() {
        Placer.Choice c = placer.place(db, all);
        String fourth = all.stream().filter(h -> !h.equals(c.primary()) && !c.shadows().contains(h)).findFirst().orElseThrow();
        Set<String> usable = without(without(all, fourth), c.shadows().get(1));
        assertThat(placer.placeShadow(db, c.primary(), List.of(c.shadows().get(0)), usable)).isNull();
    }

    @Test
    void aFailedOverHostStaysOutOfServiceUntilItIsBackInService() {
        VmSpec one = new VmSpec("one", 1, 64, 10, ShadowPolicy.of(1, ShadowMode.STANDBY), List.of());
        Placer.Choice c = placer.place(one, all);
        String dead = c.primary();
        String promoted = c.shadows().get(0);
        Set<String> usable = without(all, dead);
        placer.place(new VmSpec("probe", 1, 64, 10, ShadowPolicy.of(0, ShadowMode.STANDBY), List.of()), usable);
        placer.update(one, promoted, List.of()); // the loop promoted the shadow: the dead host's instance is stale
        assertThat(placer.inService(dead)).isFalse();

        placer.placeShadow(one, promoted, List.of(), all); // the host is usable again but nobody said it is back
        assertThat(placer.inService(dead)).isFalse();

        placer.hostBackInService(dead);
        assertThat(placer.inService(dead)).isTrue();
    }

    @Test
    void aSuspectedHostComesBackByItselfWithItsRoles() {
        Placer.Choice c = placer.place(db, all);
        String suspect = c.shadows().get(0);
        placer.place(new VmSpec("probe", 1, 64, 10, ShadowPolicy.of(0, ShadowMode.STANDBY), List.of()), without(all, suspect));
        assertThat(placer.inService(suspect)).isFalse();
        placer.place(new VmSpec("probe2", 1, 64, 10, ShadowPolicy.of(0, ShadowMode.STANDBY), List.of()), all);
        assertThat(placer.inService(suspect)).isTrue();
        // db's roles are reserved again: its one missing shadow is refused as "none missing"
        assertThat(placer.placeShadow(db, c.primary(), c.shadows(), all)).isNull();
    }

    @Test
    void hostBackInServiceNamesAHostThatIsNotInTheTopology() {
        assertThatThrownBy(() -> placer.hostBackInService("nope")).isInstanceOf(ShadowVmException.class)
            .hasMessage("no host named 'nope' in datacenter dc1 (4 hosts)");
    }

    private static Set<String> without(Set<String> s, String h) {
        return s.stream().filter(x -> !x.equals(h)).collect(java.util.stream.Collectors.toSet());
    }
}
