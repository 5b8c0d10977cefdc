package io.shadowvm.placement;

import static io.shadowvm.placement.Fixtures.assertHardConstraintsHold;
import static io.shadowvm.placement.Fixtures.partial;
import static io.shadowvm.placement.Fixtures.uniform;
import static io.shadowvm.placement.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.ShadowMode;
import org.junit.jupiter.api.Test;

/** {@link OnlinePlacer#addShadow}: exactly one more shadow, under the same filters and weights as a new VM's. */
class AddShadowTest {
    // uniform(2, 2, 2): p1 = {r1: h1 h2, r2: h3 h4}, p2 = {r3: h5 h6, r4: h7 h8}; power pdu-a on r1, r3, pdu-b on r2, r4
    private final ClusterState state = new ClusterState(uniform(2, 2, 2));
    private final OnlinePlacer placer = new OnlinePlacer(state, 7);

    @Test
    void shouldReplaceALostShadowWithExactlyOneNewShadowOnAnotherRack() {
        state.place(vm("a", 2), 0, new int[] {2, 4}, null); // h1; h3, h5
        HostRemoval r = state.removeHost("h3");
        assertThat(r.lostShadows()).extracting(HostRemoval.Loss::vm).containsExactly("a");

        Placement p = placer.addShadow("a");

        assertThat(p.primary()).isEqualTo("h1");
        assertThat(p.shadows()).hasSize(2).startsWith("h5");
        // r1 holds the primary, r3 the other shadow, r2's other host is the same pod (fewer hops): h4
        assertThat(p.shadows().get(1)).isEqualTo("h4");
        assertThat(p.isPartial()).isFalse();
        assertThat(state.uplinkSyncMbps(1)).isEqualTo(100);
        assertHardConstraintsHold(state);
    }

    @Test
    void shouldAddAShadowWhenThePolicysCountGrows() {
        state.place(vm("a", 1), 0, new int[] {6}, null); // h1; h7
        Placement grown = state.changeShadowCount("a", 2);
        assertThat(grown.isPartial()).isTrue();
        assertThat(grown.partialReason()).isEqualTo("1 of 2 shadows placed");

        Placement p = placer.addShadow("a");

        assertThat(p.shadows()).hasSize(2).startsWith("h7");
        assertThat(p.vm().policy().shadows()).isEqualTo(2);
        assertThat(p.partialReason()).isNull();
        assertHardConstraintsHold(state);
    }

    @Test
    void shouldPutTheNewShadowInAnotherPodWhenThePolicyAvoidsPods() {
        state.place(vm("a", 4, 8192, 100, 1, ShadowMode.STANDBY, FailureDomain.POD), 0, new int[] {4}, null);
        state.changeShadowCount("a", 2);
        state.removeHost("h5");
        // p1 holds the primary and p2 the shadow on h6... after h5's removal the shadow is gone: one pod left
        Placement p = placer.addShadow("a");
        assertThat(p.shadowIndex(0)).isGreaterThanOrEqualTo(4); // p2: h5..h8
        assertHardConstraintsHold(state);
    }

    @Test
    void shouldPutTheNewShadowInAnotherPowerDomainWhenThePolicyAvoidsPower() {
        state.place(vm("a", 4, 8192, 100, 1, ShadowMode.STANDBY, FailureDomain.POWER), 0, new int[] {6}, null);
        state.removeHost("h7"); // the shadow on r4 (pdu-b) is lost; r3 shares pdu-a with the primary's r1
        Placement p = placer.addShadow("a");
        assertThat(p.shadows()).containsAnyOf("h3", "h4", "h8");
        assertThat(p.shadows().get(0)).isNotIn("h5", "h6");
        assertHardConstraintsHold(state);
    }

    @Test
    void shouldPreferTheRackWhoseUplinksHaveMoreSyncHeadroom() {
        // without load, r2 (same pod as the primary) wins; a 24 Gbps sync stream between r2 and r3 makes r4 better
        state.place(vm("bulk", 4, 8192, 24_000, 1, ShadowMode.STANDBY), 2, new int[] {4}, null); // h3 -> h5
        state.place(partial(vm("a", 1)), 0, new int[0], "placed without shadows");

        Placement p = placer.addShadow("a");

        assertThat(p.shadows()).hasSize(1);
        assertThat(state.rackOf(p.shadowIndex(0))).isEqualTo(3); // r4
        assertHardConstraintsHold(state);
    }

    @Test
    void shouldNameTheFailureDomainWhenNoRackIsLeftAndChangeNothing() {
        state.place(vm("a", 4, 8192, 100, 1, ShadowMode.STANDBY, FailureDomain.POD), 0, new int[] {4}, null);
        state.changeShadowCount("a", 2);
        double freeNic = state.freeNicMbps(2);

        assertThatThrownBy(() -> placer.addShadow("a"))
            .isInstanceOfSatisfying(PlacementInfeasibleException.class, e -> {
                assertThat(e.constraint()).isEqualTo(PlacementConstraint.FAILURE_DOMAIN);
                assertThat(e.vm()).isEqualTo("a");
                assertThat(e.role()).isEqualTo(2);
            })
            .hasMessage("a: no rack left for shadow 2 of 2: it must be in a rack other than r1, r3 and a pod other than "
                + "p1, p2 (avoid: rack, pod; all 4 racks with live hosts are excluded)");
        assertThat(state.placement("a").shadows()).containsExactly("h5");
        assertThat(state.freeNicMbps(2)).isEqualTo(freeNic);
    }

    @Test
    void shouldNameTheSyncBandwidthWhenNoHostsNicCanTakeTheStream() {
        ClusterState s = new ClusterState(uniform(2, 2, 2), 3.0); // sync = 3 x 10 Gbps = 30 Gbps > a 25 Gbps NIC
        s.place(partial(vm("a", 4, 8192, 10_000, 1, ShadowMode.STANDBY)), 0, new int[0], "no shadow yet");

        assertThatThrownBy(() -> new OnlinePlacer(s, 7).addShadow("a"))
            .isInstanceOfSatisfying(PlacementInfeasibleException.class,
                e -> assertThat(e.constraint()).isEqualTo(PlacementConstraint.NIC_BANDWIDTH))
            .hasMessage("a: no host in a rack other than r1 has 30000 Mbps of NIC bandwidth free for sync for shadow 1 of 1 "
                + "(3 racks checked, best had 25000 Mbps)");
        assertThat(s.placement("a").shadows()).isEmpty();
    }

    @Test
    void shouldNameTheMemoryWhenNoHostOnAnotherRackHasRoomForTheReplica() {
        ClusterState s = new ClusterState(uniform(1, 3, 1)); // r1: h1, r2: h2, r3: h3
        s.place(partial(vm("a", 4, 100_000, 100, 1, ShadowMode.STANDBY)), 0, new int[0], "no shadow yet");
        s.place(vm("big", 4, 200_000, 100, 1, ShadowMode.STANDBY), 1, new int[] {2}, null); // h2; h3

        assertThatThrownBy(() -> new OnlinePlacer(s, 7).addShadow("a"))
            .isInstanceOfSatisfying(PlacementInfeasibleException.class,
                e -> assertThat(e.constraint()).isEqualTo(PlacementConstraint.MEMORY))
            .hasMessage("a: no host in a rack other than r1 has 100000 MiB free for shadow 1 of 1 (2 racks checked, "
                + "best had 62144 MiB)");
    }

    @Test
    void shouldRefuseAVmThatAlreadyHasAllItsShadows() {
        state.place(vm("a", 1), 0, new int[] {2}, null);
        assertThatThrownBy(() -> placer.addShadow("a")).isInstanceOf(ShadowVmException.class)
            .hasMessage("a: already has 1 of 1 shadows (expected: fewer, or a larger count in its policy first)");
    }

    @Test
    void shouldRefuseAVmThatLostItsPrimaryUntilAShadowIsPromoted() {
        state.place(vm("a", 1), 0, new int[] {2}, null);
        state.removeHost("h1");
        assertThatThrownBy(() -> placer.addShadow("a")).isInstanceOf(ShadowVmException.class)
            .hasMessage("a: has no primary (promote a shadow first)");

        state.promote("a", "h3");
        Placement p = placer.addShadow("a");
        assertThat(p.primary()).isEqualTo("h3");
        assertThat(p.shadows()).hasSize(1).doesNotContain("h1", "h4");
        assertHardConstraintsHold(state);
    }

    @Test
    void shouldRefuseAVmThatIsNotPlaced() {
        assertThatThrownBy(() -> placer.addShadow("nope")).isInstanceOf(ShadowVmException.class)
            .hasMessage("nope: not placed (0 VMs are)");
    }

    @Test
    void shouldRefuseToShrinkAPolicyBelowTheShadowsPlaced() {
        state.place(vm("a", 2), 0, new int[] {2, 4}, null);
        assertThatThrownBy(() -> state.changeShadowCount("a", 1)).isInstanceOf(ShadowVmException.class)
            .hasMessage("a: 1 shadows asked but 2 are placed (expected: at least 2)");
        assertThatThrownBy(() -> state.changeShadowCount("a", 99)).isInstanceOf(ShadowVmException.class)
            .hasMessageStartingWith("a: shadows: 99 (expected: 0..");
        assertThat(state.placement("a").vm().policy().shadows()).isEqualTo(2);
    }
}
