package io.shadowvm.monitor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProbePlannerTest {
    /** 5 pods × 50 racks × 40 hosts = 10,000 hosts. */
    private static Topology big;
    private static BitSet placements;
    private static ProbePlan[] plans;
    private static final ProbePolicy POLICY = ProbePolicy.DEFAULT;

    @BeforeAll
    static void planTheWholeMesh() {
        big = TopologyGenerator.generate(new TopologyGenerator.Spec(5, 50, 40, 7, false, 100, "dc10k"));
        assertThat(big.hosts()).hasSize(10_000);
        placements = new BitSet();
        SplittableRandom rnd = new SplittableRandom(3);
        while (placements.cardinality() < 200) {
            placements.set(rnd.nextInt(big.hosts().size()));
        }
        ProbePlanner planner = new ProbePlanner(big, POLICY, placements);
        plans = new ProbePlan[big.hosts().size()];
        for (int h = 0; h < plans.length; h++) {
            plans[h] = planner.plan(h);
        }
    }

    @Test
    void shouldKeepEveryHostUnderTheProbeRateCap() {
        for (ProbePlan p : plans) {
            assertThat(p.probesPerSecond()).isLessThanOrEqualTo(POLICY.maxProbesPerSecond() + 1e-9);
        }
    }

    @Test
    void shouldProbeEveryHostOfTheOwnRack() {
        for (ProbePlan p : plans) {
            Host me = big.host(p.self());
            for (int h : big.racks().get(me.rack()).hosts()) {
                if (h != p.self()) {
                    assertThat(p.indexOf(h)).as("host %d probes rack peer %d", p.self(), h).isNotNegative();
                }
            }
        }
    }

    @Test
    void shouldProbeRackPeersEverySecondWhenTheCapAllowsIt() {
        for (ProbePlan p : plans) {
            if (!placements.get(p.self())) { // 39 rack peers + a few cross-rack fit under 50/s
                for (int i = 0; i < p.size(); i++) {
                    if (p.reason(i) == ProbePlan.Reason.RACK) {
                        assertThat(p.intervalMs(i)).isEqualTo(POLICY.intraRackIntervalMs());
                    }
                }
            }
        }
    }

    @Test
    void shouldCoverEveryOrderedPairOfRacks() {
        int racks = big.racks().size();
        BitSet covered = new BitSet(racks * racks);
        for (ProbePlan p : plans) {
            int from = big.host(p.self()).rack();
            for (int i = 0; i < p.size(); i++) {
                covered.set(from * racks + big.host(p.peer(i)).rack());
            }
        }
        for (int a = 0; a < racks; a++) {
            for (int b = 0; b < racks; b++) {
                if (a != b) {
                    assertThat(covered.get(a * racks + b)).as("rack %d probes rack %d", a, b).isTrue();
                }
            }
        }
    }

    @Test
    void shouldProbeEveryPairOfPlacementsWithinTheBound() {
        for (int a = placements.nextSetBit(0); a >= 0; a = placements.nextSetBit(a + 1)) {
            for (int b = placements.nextSetBit(0); b >= 0; b = placements.nextSetBit(b + 1)) {
                if (a != b) {
                    int at = plans[a].indexOf(b);
                    assertThat(at).as("placement %d probes placement %d", a, b).isNotNegative();
                    assertThat(plans[a].intervalMs(at)).isLessThanOrEqualTo(POLICY.placementPairBoundMs());
                }
            }
        }
    }

    @Test
    void shouldGiveEveryHostAFewCrossRackPeersAndKeepTheMeshCheap() {
        double total = 0;
        for (ProbePlan p : plans) {
            int cross = 0;
            for (int i = 0; i < p.size(); i++) {
                if (big.host(p.peer(i)).rack() != big.host(p.self()).rack()) {
                    cross++;
                }
            }
            assertThat(cross).isGreaterThanOrEqualTo(POLICY.minCrossRackPeers());
            total += p.probesPerSecond();
        }
        // 10,000 hosts: on average ~40 probes/s each, 0.4 M probes/s over the whole datacenter
        assertThat(total / plans.length).isBetween(39.0, 50.0);
    }

    @Test
    void shouldBeDeterministicForASeedAndVaryWithIt() {
        ProbePlan again = new ProbePlanner(big, POLICY, placements).plan(1234);
        assertThat(again.peerSet()).isEqualTo(plans[1234].peerSet());
        ProbePolicy other = new ProbePolicy(1_000, 10_000, 2, 10_000, 50, 99);
        assertThat(new ProbePlanner(big, other, placements).plan(1234).peerSet()).isNotEqualTo(plans[1234].peerSet());
    }

    @Test
    void shouldRefusePlacementPairsThatCannotFitUnderTheCap() {
        BitSet many = new BitSet();
        many.set(0, 1_000);
        assertThatThrownBy(() -> new ProbePlanner(big, POLICY, many).plan(0))
            .isInstanceOf(ProbeFrameException.class)
            .hasMessageContaining("999 placement peers")
            .hasMessageContaining("expected: at most 50.0/s");
    }

    @Test
    void shouldRestrictAPlanToTheRequestedPeers() {
        Topology small = TopologyGenerator.generate(new TopologyGenerator.Spec(1, 2, 2, 1, false, 10, "dc"));
        ProbePlan plan = new ProbePlanner(small, POLICY, new BitSet()).plan("p1r1h1");
        ProbePlan only = plan.restrictTo(List.of("p1r1h2", "p1r2h2", "p1r1h1"), small, 500);
        assertThat(only.size()).isEqualTo(2);
        assertThat(only.intervalMs(only.indexOf(small.host("p1r1h2").index()))).isEqualTo(1_000);
        assertThatThrownBy(() -> plan.restrictTo(List.of("nope"), small, 500)).hasMessageContaining("'nope'");
    }
}
