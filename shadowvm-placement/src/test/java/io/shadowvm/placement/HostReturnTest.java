package io.shadowvm.placement;

import static io.shadowvm.placement.Fixtures.assertHardConstraintsHold;
import static io.shadowvm.placement.Fixtures.uniform;
import static io.shadowvm.placement.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.vm.ShadowMode;
import org.junit.jupiter.api.Test;

/** {@link ClusterState#returnHost}: a host taken out of service comes back empty and takes new roles. */
class HostReturnTest {
    // uniform(2, 2, 2): p1 = {r1: h1 h2, r2: h3 h4}, p2 = {r3: h5 h6, r4: h7 h8}
    private final ClusterState state = new ClusterState(uniform(2, 2, 2));

    @Test
    void shouldPutARemovedHostBackInServiceWithItsWholeCapacityFree() {
        state.place(vm("a", 4, 8192, 500, 1, ShadowMode.SERVING), 0, new int[] {2}, null); // h1; h3
        state.place(vm("b", 1), 4, new int[] {0}, null); // h5; h1
        state.removeHost("h1");
        assertThat(state.rackAliveHosts(0)).isEqualTo(1);

        state.returnHost("h1");

        assertThat(state.isAlive(0)).isTrue();
        assertThat(state.freeCores(0)).isEqualTo(32);
        assertThat(state.freeMemoryMib(0)).isEqualTo(262_144);
        assertThat(state.freeNicMbps(0)).isEqualTo(25_000);
        assertThat(state.rackAliveHosts(0)).isEqualTo(2);
        assertThat(state.rackMaxFreeMemoryMib(0)).isEqualTo(262_144);
        assertThat(state.rackFreeMemoryFraction(0)).isEqualTo(1.0);
        // the stale roles stay gone: a still waits for a promotion, b for a new shadow
        assertThat(state.placement("a").primary()).isNull();
        assertThat(state.placement("b").shadows()).isEmpty();
        state.promote("a", "h3");
        OnlinePlacer placer = new OnlinePlacer(state, 1);
        placer.addShadow("a");
        placer.addShadow("b");
        assertHardConstraintsHold(state);
    }

    @Test
    void shouldTakeNewShadowsOnAHostBackInService() {
        ClusterState s = new ClusterState(uniform(1, 2, 1)); // r1: h1, r2: h2
        s.place(vm("a", 1), 0, new int[] {1}, null); // h1; h2
        s.removeHost("h2");
        OnlinePlacer placer = new OnlinePlacer(s, 3);
        assertThatThrownBy(() -> placer.addShadow("a")).isInstanceOf(PlacementInfeasibleException.class);

        s.returnHost("h2");
        Placement p = placer.addShadow("a");

        assertThat(p.shadows()).containsExactly("h2");
        assertHardConstraintsHold(s);
    }

    @Test
    void shouldRefuseToReturnAHostThatIsInService() {
        state.removeHost("h2");
        assertThatThrownBy(() -> state.returnHost("h1")).isInstanceOf(ShadowVmException.class)
            .hasMessage("host h1 is already in service (expected: a host taken out of service, 1 are)");
    }

    @Test
    void shouldRefuseToReturnAHostTwice() {
        state.removeHost("h2");
        state.returnHost("h2");
        assertThatThrownBy(() -> state.returnHost("h2")).isInstanceOf(ShadowVmException.class)
            .hasMessage("host h2 is already in service (expected: a host taken out of service, 0 are)");
    }

    @Test
    void shouldRefuseToReturnAHostThatIsNotInTheTopology() {
        assertThatThrownBy(() -> state.returnHost("h99")).isInstanceOf(ShadowVmException.class)
            .hasMessage("no host named 'h99' in datacenter test (8 hosts)");
    }

    @Test
    void shouldTakeAHostOutOfServiceAgainAfterItReturned() {
        state.removeHost("h3");
        state.returnHost("h3");
        state.place(vm("a", 1), 2, new int[] {4}, null); // h3; h5
        assertThat(state.removeHost("h3").lostPrimaries()).extracting(HostRemoval.Loss::vm).containsExactly("a");
        assertThat(state.isAlive(2)).isFalse();
        assertThatThrownBy(() -> state.removeHost("h3")).isInstanceOf(ShadowVmException.class)
            .hasMessage("host h3 is already out of service");
    }
}
