package io.shadowvm.placement;

import static io.shadowvm.placement.Fixtures.assertHardConstraintsHold;
import static io.shadowvm.placement.Fixtures.uniform;
import static io.shadowvm.placement.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.ShadowMode;
import org.junit.jupiter.api.Test;

class ClusterStateTest {
    // uniform(2, 2, 2): p1 = {r1: h1 h2, r2: h3 h4}, p2 = {r3: h5 h6, r4: h7 h8}; power pdu-a on r1, r3
    private final ClusterState state = new ClusterState(uniform(2, 2, 2));

    @Test
    void shouldStartWithEveryHostsFullCapacityFree() {
        assertThat(state.freeCores(0)).isEqualTo(32);
        assertThat(state.freeMemoryMib(0)).isEqualTo(262_144);
        assertThat(state.freeNicMbps(0)).isEqualTo(25_000);
        assertThat(state.rackMaxFreeMemoryMib(0)).isEqualTo(262_144);
        assertThat(state.rackFreeMemoryFraction(0)).isEqualTo(1.0);
    }

    @Test
    void shouldFreeEverythingAVmReservedWhenItIsRemoved() {
        state.place(vm("web", 4, 8192, 500, 1, ShadowMode.SERVING), 0, new int[] {2}, null);
        assertThat(state.uplinkSyncMbps(0)).isEqualTo(500);
        Placement removed = state.remove("web");
        assertThat(removed.primary()).isEqualTo("h1");
        for (int h = 0; h < 8; h++) {
            assertThat(state.freeCores(h)).isEqualTo(32);
            assertThat(state.freeMemoryMib(h)).isEqualTo(262_144);
            assertThat(state.freeNicMbps(h)).isEqualTo(25_000);
        }
        assertThat(state.uplinkSyncMbps(0)).isZero();
        assertThat(state.uplinkSyncMbps(1)).isZero();
        assertThat(state.rackMaxFreeMemoryMib(0)).isEqualTo(262_144);
        assertThat(state.isPlaced("web")).isFalse();
    }

    @Test
    void shouldRefuseToRemoveAVmThatIsNotPlaced() {
        assertThatThrownBy(() -> state.remove("nope")).isInstanceOf(ShadowVmException.class)
            .hasMessage("nope: not placed (0 VMs are)");
    }

    @Test
    void shouldReportLostPrimariesAndLostShadowsWhenAHostIsRemoved() {
        state.place(vm("a", 4, 8192, 100, 2, ShadowMode.STANDBY), 0, new int[] {2, 4}, null);
        state.place(vm("b", 4, 8192, 100, 1, ShadowMode.STANDBY), 6, new int[] {0}, null);
        state.place(vm("c", 4, 8192, 100, 1, ShadowMode.STANDBY), 3, new int[] {5}, null);
        HostRemoval r = state.removeHost("h1");
        assertThat(r.host()).isEqualTo("h1");
        assertThat(r.lostPrimaries()).containsExactly(
            new HostRemoval.Loss("a", HostRemoval.Role.PRIMARY, java.util.List.of("h3", "h5")));
        assertThat(r.lostShadows()).containsExactly(
            new HostRemoval.Loss("b", HostRemoval.Role.SHADOW, java.util.List.of()));
        assertThat(state.placement("a").primary()).isNull();
        assertThat(state.placement("a").shadows()).containsExactly("h3", "h5");
        assertThat(state.placement("b").shadows()).isEmpty();
        assertThat(state.placement("c").shadows()).containsExactly("h6");
        assertThat(state.isAlive(0)).isFalse();
        // a's sync streams stopped with its primary; only c's stream (r2 -> r3) remains on the uplinks
        assertThat(state.uplinkSyncMbps(0)).isZero();
        assertThat(state.uplinkSyncMbps(1)).isEqualTo(100);
        assertThat(state.uplinkSyncMbps(2)).isEqualTo(100);
        assertThat(state.rackAliveHosts(0)).isEqualTo(1);
    }

    @Test
    void shouldNeverPlaceOnAHostThatWasRemoved() {
        state.removeHost("h1");
        state.removeHost("h2");
        OnlinePlacer p = new OnlinePlacer(state, 1);
        for (int i = 0; i < 12; i++) {
            Placement pl = p.place(vm("vm-" + i, 1));
            assertThat(pl.primaryIndex()).isGreaterThan(1);
            assertThat(pl.shadowIndex(0)).isGreaterThan(1);
        }
        assertHardConstraintsHold(state);
    }

    @Test
    void shouldRefuseToRemoveAHostTwiceOrOneThatDoesNotExist() {
        state.removeHost("h1");
        assertThatThrownBy(() -> state.removeHost("h1")).hasMessage("host h1 is already out of service");
        assertThatThrownBy(() -> state.removeHost("h99")).hasMessageStartingWith("no host named 'h99'");
    }

    @Test
    void shouldFreeTheRemainingShadowsWhenAVmThatLostItsPrimaryIsRemoved() {
        state.place(vm("a", 4, 8192, 100, 1, ShadowMode.SERVING), 0, new int[] {2}, null);
        state.removeHost("h1");
        state.remove("a");
        assertThat(state.freeCores(2)).isEqualTo(32);
        assertThat(state.freeMemoryMib(2)).isEqualTo(262_144);
        assertThat(state.uplinkSyncMbps(1)).isZero();
    }

    @Test
    void shouldRefuseTwoRolesOnOneRack() {
        assertThatThrownBy(() -> state.place(vm("a", 1), 0, new int[] {1}, null))
            .hasMessage("a: h1 and h2 share rack r1 (expected: every role on its own rack)");
        assertThat(state.placedCount()).isZero();
    }

    @Test
    void shouldRefuseASharedPodWhenThePolicyAvoidsPods() {
        assertThatThrownBy(() -> state.place(vm("a", 1, 1024, 1, 1, ShadowMode.STANDBY, FailureDomain.POD), 0,
            new int[] {2}, null)).hasMessage("a: h1 and h3 share pod p1 (the policy avoids shared pods)");
    }

    @Test
    void shouldRefuseASharedPowerDomainWhenThePolicyAvoidsPower() {
        assertThatThrownBy(() -> state.place(vm("a", 1, 1024, 1, 1, ShadowMode.STANDBY, FailureDomain.POWER), 0,
            new int[] {4}, null)).hasMessage("a: h1 and h5 share power domain pdu-a (the policy avoids shared power domains)");
    }

    @Test
    void shouldRefuseAHostWithoutTheCapacity() {
        assertThatThrownBy(() -> state.place(vm("a", 64, 1024, 1, 0, ShadowMode.STANDBY), 0, new int[0], null))
            .hasMessage("a: primary needs 64 cores, 1024 MiB, 1 Mbps on h1 (free: 32 cores, 262144 MiB, 25000 Mbps)");
    }

    @Test
    void shouldRefuseFewerShadowsUnlessThePolicyAllowsPartialPlacement() {
        assertThatThrownBy(() -> state.place(vm("a", 2), 0, new int[] {2}, null))
            .hasMessage("a: 1 shadows but the policy asks for 2 and does not allow partial placement");
    }

    @Test
    void shouldPromoteAShadowOfAVmThatLostItsPrimaryAndSendTheSyncStreamsFromItsRack() {
        state.place(vm("a", 4, 8192, 100, 2, ShadowMode.STANDBY), 0, new int[] {2, 4}, null);
        state.removeHost("h1");
        Placement p = state.promote("a", "h3");
        assertThat(p.primary()).isEqualTo("h3");
        assertThat(p.shadows()).containsExactly("h5");
        assertThat(state.freeCores(2)).isEqualTo(32 - 4);
        assertThat(state.freeMemoryMib(2)).isEqualTo(262_144 - 8192);
        assertThat(state.freeNicMbps(2)).isEqualTo(25_000 - 100);
        assertThat(state.uplinkSyncMbps(0)).isZero();
        assertThat(state.uplinkSyncMbps(1)).isEqualTo(100);
        assertThat(state.uplinkSyncMbps(2)).isEqualTo(100);
        assertHardConstraintsHold(state);
    }

    @Test
    void shouldRefuseToPromoteWhileThePrimaryIsInService() {
        state.place(vm("a", 1), 0, new int[] {2}, null);
        assertThatThrownBy(() -> state.promote("a", "h3"))
            .hasMessage("a: its primary on h1 is in service (expected: a VM that lost its primary)");
    }

    @Test
    void shouldRefuseToPromoteAShadowWhoseHostCannotTakeThePrimarysCores() {
        state.place(vm("a", 4, 8192, 100, 1, ShadowMode.STANDBY), 0, new int[] {2}, null);
        state.place(vm("big", 30, 1024, 0, 0, ShadowMode.STANDBY), 2, new int[0], null);
        state.removeHost("h1");
        assertThatThrownBy(() -> state.promote("a", "h3"))
            .isInstanceOfSatisfying(PlacementInfeasibleException.class,
                e -> assertThat(e.constraint()).isEqualTo(PlacementConstraint.CORES))
            .hasMessage("a: shadow on h3 cannot become the primary: it needs 4 more cores and 0 Mbps more NIC "
                + "bandwidth (free: 2 cores, 24900 Mbps)");
        assertThat(state.placement("a").shadows()).containsExactly("h3");
        assertThat(state.freeCores(2)).isEqualTo(2);
    }

    @Test
    void shouldRefuseToAddAShadowOnThePrimarysRack() {
        state.place(partialVm(), 0, new int[] {2}, null);
        assertThatThrownBy(() -> state.addShadows("p", new int[] {1}, null))
            .hasMessage("p: h1 and h2 share rack r1 (expected: every role on its own rack)");
        assertThat(state.placement("p").shadows()).containsExactly("h3");
    }

    @Test
    void shouldMoveSeveralVmsAtOnceSoThatTheyCanSwapHostsAndKeepTheirOrder() {
        ClusterState small = new ClusterState(uniform(1, 3, 1, 8, 16384, 10, 40));
        small.place(vm("a", 6, 1024, 10, 0, ShadowMode.STANDBY), 0, new int[0], null);
        small.place(vm("b", 6, 1024, 10, 0, ShadowMode.STANDBY), 1, new int[0], null);
        small.moveAll(java.util.Map.of("a", new int[] {1}, "b", new int[] {0}));
        assertThat(small.placements()).extracting(Placement::name, Placement::primary)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "h2"), org.assertj.core.groups.Tuple.tuple("b", "h1"));
        assertThat(small.freeCores(0)).isEqualTo(2);
        assertThat(small.freeCores(1)).isEqualTo(2);
        assertHardConstraintsHold(small);
    }

    @Test
    void shouldRollBackEveryMoveWhenOneBreaksAHardConstraint() {
        state.place(vm("a", 4, 8192, 100, 1, ShadowMode.STANDBY), 0, new int[] {2}, null);
        state.place(vm("b", 4, 8192, 100, 1, ShadowMode.STANDBY), 4, new int[] {6}, null);
        java.util.Map<String, int[]> plan = new java.util.LinkedHashMap<>();
        plan.put("a", new int[] {1, 3});
        plan.put("b", new int[] {4, 5}); // h5 and h6 share rack r3
        assertThatThrownBy(() -> state.moveAll(plan))
            .hasMessage("b: h5 and h6 share rack r3 (expected: every role on its own rack)");
        assertThat(state.placement("a").primary()).isEqualTo("h1");
        assertThat(state.placement("a").shadows()).containsExactly("h3");
        assertThat(state.placement("b").shadows()).containsExactly("h7");
        assertThat(state.freeCores(1)).isEqualTo(32);
        assertThat(state.uplinkSyncMbps(0)).isEqualTo(100);
        assertHardConstraintsHold(state);
    }

    private static io.shadowvm.core.vm.VmSpec partialVm() {
        return Fixtures.partial(vm("p", 2));
    }
}
