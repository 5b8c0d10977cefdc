package io.shadowvm.placement;

import static io.shadowvm.placement.Fixtures.assertHardConstraintsHold;
import static io.shadowvm.placement.Fixtures.partial;
import static io.shadowvm.placement.Fixtures.talking;
import static io.shadowvm.placement.Fixtures.uniform;
import static io.shadowvm.placement.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import io.shadowvm.core.topology.TopologyLoader;
import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.VmSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OnlinePlacerTest {

    private static OnlinePlacer placer(Topology t) {
        return new OnlinePlacer(new ClusterState(t), 42);
    }

    private static int rack(OnlinePlacer p, int host) {
        return p.state().rackOf(host);
    }

    /** Two racks in one pod; h1 (rack r1) is large, h2 (rack r2) is described by the arguments. */
    private static Topology twoRacks(String h2) {
        return TopologyLoader.parse("""
            datacenter: t
            pods:
              - name: p1
                racks:
                  - name: r1
                    uplinkGbps: 40
                    hosts:
                      - {name: h1, cores: 64, memoryMib: 65536, nicGbps: 25}
                  - name: r2
                    uplinkGbps: 40
                    hosts:
            """ + "          - " + h2 + "\n", "two.yaml");
    }

    @Test
    void shouldPlaceAVmWithoutShadowsOnOneHost() {
        OnlinePlacer p = placer(uniform(1, 2, 2));
        Placement pl = p.place(vm("solo", 0));
        assertThat(pl.primary()).isNotNull();
        assertThat(pl.shadows()).isEmpty();
        assertHardConstraintsHold(p.state());
    }

    @Test
    void shouldPlaceTheShadowOfAOneToOneVmOnAnotherRack() {
        OnlinePlacer p = placer(uniform(1, 3, 2));
        Placement pl = p.place(vm("web-1", 1));
        assertThat(pl.shadows()).hasSize(1);
        assertThat(rack(p, pl.shadowIndex(0))).isNotEqualTo(rack(p, pl.primaryIndex()));
        assertHardConstraintsHold(p.state());
    }

    @Test
    void shouldPlaceTheShadowsOfAOneToTwoVmOnTwoFurtherRacks() {
        OnlinePlacer p = placer(uniform(1, 3, 2));
        Placement pl = p.place(vm("web-1", 2));
        Set<Integer> racks = Set.of(rack(p, pl.primaryIndex()), rack(p, pl.shadowIndex(0)), rack(p, pl.shadowIndex(1)));
        assertThat(racks).hasSize(3);
    }

    @Test
    void shouldPlaceEveryShadowOfAOneToNVmOnItsOwnRack() {
        OnlinePlacer p = placer(uniform(2, 4, 2));
        Placement pl = p.place(vm("web-1", 7));
        Set<Integer> racks = new HashSet<>();
        racks.add(rack(p, pl.primaryIndex()));
        for (int i = 0; i < 7; i++) {
            racks.add(rack(p, pl.shadowIndex(i)));
        }
        assertThat(racks).hasSize(8);
        assertHardConstraintsHold(p.state());
    }

    @Test
    void shouldPutShadowsInOtherPodsWhenThePolicyAvoidsPods() {
        OnlinePlacer p = placer(uniform(3, 2, 2));
        Placement pl = p.place(vm("db-1", 4, 8192, 100, 2, ShadowMode.STANDBY, FailureDomain.POD));
        Set<Integer> pods = Set.of(p.state().podOf(pl.primaryIndex()), p.state().podOf(pl.shadowIndex(0)),
            p.state().podOf(pl.shadowIndex(1)));
        assertThat(pods).hasSize(3);
    }

    @Test
    void shouldPutShadowsOnOtherPowerDomainsWhenThePolicyAvoidsPower() {
        OnlinePlacer p = placer(uniform(1, 4, 1));
        for (int i = 0; i < 2; i++) {
            Placement pl = p.place(vm("db-" + i, 4, 8192, 100, 1, ShadowMode.STANDBY, FailureDomain.POWER));
            assertThat(p.state().powerOfRack(rack(p, pl.shadowIndex(0))))
                .isNotEqualTo(p.state().powerOfRack(rack(p, pl.primaryIndex())));
        }
        assertHardConstraintsHold(p.state());
    }

    @Test
    void shouldReserveMemoryForEveryShadowButCoresOnlyForServingShadows() {
        OnlinePlacer p = placer(uniform(1, 3, 1));
        Placement standby = p.place(vm("standby", 8, 4096, 300, 1, ShadowMode.STANDBY));
        ClusterState s = p.state();
        assertThat(s.freeCores(standby.shadowIndex(0))).isEqualTo(32);
        assertThat(s.freeMemoryMib(standby.shadowIndex(0))).isEqualTo(262_144 - 4096);
        assertThat(s.freeNicMbps(standby.shadowIndex(0))).isEqualTo(25_000 - 300);
        assertThat(s.freeCores(standby.primaryIndex())).isEqualTo(32 - 8);
        assertThat(s.freeNicMbps(standby.primaryIndex())).isEqualTo(25_000 - 300);
        s.remove("standby");
        Placement serving = p.place(vm("serving", 8, 4096, 300, 1, ShadowMode.SERVING));
        assertThat(s.freeCores(serving.shadowIndex(0))).isEqualTo(32 - 8);
        assertThat(s.freeMemoryMib(serving.shadowIndex(0))).isEqualTo(262_144 - 4096);
    }

    @Test
    void shouldPreferAShadowInThePrimarysPodBecauseItIsFewerHops() {
        OnlinePlacer p = placer(uniform(2, 2, 2));
        for (int i = 0; i < 6; i++) {
            Placement pl = p.place(vm("web-" + i, 1));
            assertThat(p.state().topology().hops(pl.primaryIndex(), pl.shadowIndex(0))).isEqualTo(4);
        }
    }

    @Test
    void shouldPreferAShadowWhosePathHasUplinkHeadroomForSync() {
        Topology t = TopologyLoader.parse("""
            datacenter: t
            pods:
              - name: p1
                racks:
                  - name: r1
                    uplinkGbps: 40
                    hosts: [{name: h1, cores: 32, memoryMib: 65536, nicGbps: 25}]
                  - name: r2
                    uplinkGbps: 1
                    hosts: [{name: h2, cores: 32, memoryMib: 65536, nicGbps: 25}]
                  - name: r3
                    uplinkGbps: 40
                    hosts: [{name: h3, cores: 32, memoryMib: 65536, nicGbps: 25}]
            """, "t.yaml");
        OnlinePlacer p = placer(t);
        // make r1 the emptiest rack so the primary lands there
        p.state().place(vm("fill-2", 4, 16384, 0, 0, ShadowMode.STANDBY), 1, new int[0], null);
        p.state().place(vm("fill-3", 4, 16384, 0, 0, ShadowMode.STANDBY), 2, new int[0], null);
        Placement pl = p.place(vm("web", 4, 8192, 500, 1, ShadowMode.STANDBY));
        assertThat(pl.primary()).isEqualTo("h1");
        assertThat(pl.shadows()).containsExactly("h3");
        assertThat(p.state().uplinkSyncMbps(0)).isEqualTo(500);
        assertThat(p.state().uplinkSyncMbps(2)).isEqualTo(500);
        assertThat(p.state().pathHeadroomMbps(0, 2, 0)).isEqualTo(25_000 - 500);
    }

    @Test
    void shouldKeepTheprimariesOfCommunicatingVmsInOneRack() {
        OnlinePlacer p = placer(uniform(2, 3, 4));
        Placement db = p.place(vm("db-1", 1));
        Placement web = p.place(talking(vm("web-1", 1), "db-1"));
        assertThat(rack(p, web.primaryIndex())).isEqualTo(rack(p, db.primaryIndex()));
    }

    @Test
    void shouldKeepAVmNearAnEarlierVmThatListsItAsAPartner() {
        OnlinePlacer p = placer(uniform(2, 3, 4));
        Placement web = p.place(talking(vm("web-1", 1), "db-1"));
        Placement db = p.place(vm("db-1", 1));
        assertThat(rack(p, db.primaryIndex())).isEqualTo(rack(p, web.primaryIndex()));
    }

    @Test
    void shouldSpreadPrimariesAcrossEmptyRacks() {
        OnlinePlacer p = placer(uniform(1, 4, 2));
        Set<Integer> racks = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            racks.add(rack(p, p.place(vm("vm-" + i, 0)).primaryIndex()));
        }
        assertThat(racks).hasSize(4);
    }

    @Test
    void shouldFindTheFittingHostWhenARacksBestCoresAndBestMemoryAreOnDifferentHosts() {
        Topology t = TopologyLoader.parse("""
            datacenter: t
            pods:
              - name: p1
                racks:
                  - name: r1
                    uplinkGbps: 40
                    hosts:
                      - {name: big-mem, cores: 2, memoryMib: 262144, nicGbps: 25}
                      - {name: big-cpu, cores: 64, memoryMib: 4096, nicGbps: 25}
                  - name: r2
                    uplinkGbps: 40
                    hosts:
                      - {name: small, cores: 16, memoryMib: 20000, nicGbps: 25}
            """, "t.yaml");
        OnlinePlacer p = placer(t);
        assertThat(p.place(vm("vm", 8, 16384, 10, 0, ShadowMode.STANDBY)).primary()).isEqualTo("small");
    }

    // ---- infeasible: one message per constraint -----------------------------------------------------

    @Test
    void shouldNameMemoryWhenNoOtherRackHasTheShadowsMemory() {
        OnlinePlacer p = placer(twoRacks("{name: h2, cores: 64, memoryMib: 12288, nicGbps: 25}"));
        assertThatThrownBy(() -> p.place(vm("web-7", 4, 16384, 100, 1, ShadowMode.STANDBY)))
            .isInstanceOfSatisfying(PlacementInfeasibleException.class, e -> {
                assertThat(e.constraint()).isEqualTo(PlacementConstraint.MEMORY);
                assertThat(e.vm()).isEqualTo("web-7");
                assertThat(e.role()).isEqualTo(1);
            })
            .hasMessage("web-7: no host in a rack other than r1 has 16 GiB free for shadow 1 of 1 "
                + "(1 rack checked, best had 12 GiB)");
        assertThat(p.state().placedCount()).isZero();
        assertThat(p.state().freeMemoryMib(0)).isEqualTo(65536);
    }

    @Test
    void shouldNameMemoryWhenNoHostHasThePrimarysMemory() {
        OnlinePlacer p = placer(uniform(1, 2, 1, 32, 8192, 25, 40));
        assertThatThrownBy(() -> p.place(vm("web-7", 4, 16384, 100, 1, ShadowMode.STANDBY)))
            .hasMessage("web-7: no host has 16 GiB free for the primary (2 racks checked, best had 8 GiB)");
    }

    @Test
    void shouldNameCoresWhenNoOtherRackHasTheServingShadowsCores() {
        OnlinePlacer p = placer(twoRacks("{name: h2, cores: 6, memoryMib: 65536, nicGbps: 25}"));
        assertThatThrownBy(() -> p.place(vm("web-7", 8, 4096, 100, 1, ShadowMode.SERVING)))
            .isInstanceOfSatisfying(PlacementInfeasibleException.class,
                e -> assertThat(e.constraint()).isEqualTo(PlacementConstraint.CORES))
            .hasMessage("web-7: no host in a rack other than r1 has 8 free cores for shadow 1 of 1 "
                + "(1 rack checked, best had 6)");
    }

    @Test
    void shouldPlaceAStandbyShadowWhereCoresAreShortBecauseItRunsNothing() {
        OnlinePlacer p = placer(twoRacks("{name: h2, cores: 6, memoryMib: 65536, nicGbps: 25}"));
        assertThat(p.place(vm("web-7", 8, 4096, 100, 1, ShadowMode.STANDBY)).shadows()).containsExactly("h2");
    }

    @Test
    void shouldNameNicBandwidthWhenNoOtherRackCanTakeTheSyncStream() {
        OnlinePlacer p = placer(twoRacks("{name: h2, cores: 64, memoryMib: 65536, nicGbps: 1.5}"));
        assertThatThrownBy(() -> p.place(vm("web-7", 4, 4096, 2000, 1, ShadowMode.STANDBY)))
            .isInstanceOfSatisfying(PlacementInfeasibleException.class,
                e -> assertThat(e.constraint()).isEqualTo(PlacementConstraint.NIC_BANDWIDTH))
            .hasMessage("web-7: no host in a rack other than r1 has 2000 Mbps of NIC bandwidth free for sync "
                + "for shadow 1 of 1 (1 rack checked, best had 1500 Mbps)");
    }

    @Test
    void shouldNameTheCombinationWhenEachResourceIsFreeButNotOnOneHost() {
        Topology t = TopologyLoader.parse("""
            datacenter: t
            pods:
              - name: p1
                racks:
                  - name: r1
                    uplinkGbps: 40
                    hosts: [{name: h1, cores: 64, memoryMib: 65536, nicGbps: 25}]
                  - name: r2
                    uplinkGbps: 40
                    hosts:
                      - {name: h2, cores: 32, memoryMib: 8192, nicGbps: 25}
                      - {name: h3, cores: 4, memoryMib: 65536, nicGbps: 25}
            """, "t.yaml");
        OnlinePlacer p = placer(t);
        assertThatThrownBy(() -> p.place(vm("web-7", 8, 16384, 100, 1, ShadowMode.SERVING)))
            .isInstanceOfSatisfying(PlacementInfeasibleException.class,
                e -> assertThat(e.constraint()).isEqualTo(PlacementConstraint.CAPACITY))
            .hasMessage("web-7: no host in a rack other than r1 has 8 cores, 16 GiB and 100 Mbps free at once for "
                + "shadow 1 of 1 (1 rack checked, 2 hosts: 1 had the memory, 1 the cores, 2 the bandwidth)");
    }

    @Test
    void shouldNameRackSeparationWhenThereAreFewerRacksThanRoles() {
        OnlinePlacer p = placer(uniform(1, 2, 3));
        assertThatThrownBy(() -> p.place(vm("web-7", 2)))
            .isInstanceOfSatisfying(PlacementInfeasibleException.class, e -> {
                assertThat(e.constraint()).isEqualTo(PlacementConstraint.FAILURE_DOMAIN);
                assertThat(e.role()).isEqualTo(2);
            })
            .hasMessageStartingWith("web-7: no rack left for shadow 2 of 2: it must be in a rack other than r")
            .hasMessageEndingWith("(avoid: rack; all 2 racks with live hosts are excluded)");
    }

    @Test
    void shouldNamePodSeparationWhenThePolicyAvoidsPodsAndThereIsOnlyOne() {
        OnlinePlacer p = placer(uniform(1, 3, 1));
        assertThatThrownBy(() -> p.place(vm("db-1", 4, 4096, 10, 1, ShadowMode.STANDBY, FailureDomain.POD)))
            .isInstanceOfSatisfying(PlacementInfeasibleException.class,
                e -> assertThat(e.constraint()).isEqualTo(PlacementConstraint.FAILURE_DOMAIN))
            .hasMessageContaining("and a pod other than p1")
            .hasMessageContaining("(avoid: rack, pod; all 3 racks with live hosts are excluded)");
    }

    @Test
    void shouldNamePowerSeparationWhenEveryOtherRackSharesThePowerDomain() {
        OnlinePlacer p = placer(uniform(1, 1, 1));
        Topology t = TopologyLoader.parse("""
            datacenter: t
            pods:
              - name: p1
                racks:
                  - {name: r1, uplinkGbps: 40, power: pdu-a, hosts: [{name: h1, cores: 8, memoryMib: 8192, nicGbps: 10}]}
                  - {name: r2, uplinkGbps: 40, power: pdu-a, hosts: [{name: h2, cores: 8, memoryMib: 8192, nicGbps: 10}]}
            """, "t.yaml");
        OnlinePlacer q = placer(t);
        assertThat(p.state().placedCount()).isZero();
        assertThatThrownBy(() -> q.place(vm("db-1", 1, 1024, 10, 1, ShadowMode.STANDBY, FailureDomain.POWER)))
            .isInstanceOfSatisfying(PlacementInfeasibleException.class,
                e -> assertThat(e.constraint()).isEqualTo(PlacementConstraint.FAILURE_DOMAIN))
            .hasMessageContaining("and a power domain other than pdu-a");
    }

    @Test
    void shouldSayNoLiveHostWhenEveryHostIsOutOfService() {
        OnlinePlacer p = placer(uniform(1, 1, 1));
        p.state().removeHost("h1");
        assertThatThrownBy(() -> p.place(vm("vm", 0)))
            .isInstanceOfSatisfying(PlacementInfeasibleException.class,
                e -> assertThat(e.constraint()).isEqualTo(PlacementConstraint.NO_LIVE_HOST))
            .hasMessage("vm: no live host for the primary (1 hosts, all out of service)");
    }

    @Test
    void shouldPlaceFewerShadowsAndSayWhyWhenThePolicyAllowsPartialPlacement() {
        OnlinePlacer p = placer(uniform(1, 2, 2));
        Placement pl = p.place(partial(vm("web-1", 3)));
        assertThat(pl.shadows()).hasSize(1);
        assertThat(pl.isPartial()).isTrue();
        assertThat(pl.partialReason()).startsWith("web-1: no rack left for shadow 2 of 3");
        assertHardConstraintsHold(p.state());
    }

    @Test
    void shouldRefuseARepeatedVmName() {
        OnlinePlacer p = placer(uniform(1, 2, 2));
        p.place(vm("web-1", 1));
        assertThatThrownBy(() -> p.place(vm("web-1", 1))).hasMessage("web-1: already placed");
    }

    // ---- after a host failure ------------------------------------------------------------------------

    @Test
    void shouldRestoreTheShadowAHostFailureTookOnAnotherRack() {
        OnlinePlacer p = placer(uniform(1, 4, 2));
        Placement before = p.place(vm("web", 2));
        p.state().removeHost(before.shadows().get(0));
        Placement after = p.restoreShadows("web");
        assertThat(after.shadows()).hasSize(2).doesNotContain(before.shadows().get(0));
        assertThat(after.shadows()).contains(before.shadows().get(1));
        assertThat(after.partialReason()).isNull();
        assertHardConstraintsHold(p.state());
    }

    @Test
    void shouldRestoreTheShadowCountAfterPromotingAShadowOfAVmThatLostItsPrimary() {
        OnlinePlacer p = placer(uniform(3, 2, 2));
        Placement before = p.place(vm("db", 4, 8192, 100, 2, ShadowMode.STANDBY, FailureDomain.POD));
        HostRemoval removal = p.state().removeHost(before.primary());
        assertThat(removal.lostPrimaries()).extracting(HostRemoval.Loss::vm).containsExactly("db");
        p.state().promote("db", removal.lostPrimaries().get(0).remainingShadows().get(0));
        Placement after = p.restoreShadows("db");
        assertThat(after.shadows()).hasSize(2);
        assertHardConstraintsHold(p.state());
    }

    @Test
    void shouldSayWhyWhenAMissingShadowCannotBeRestored() {
        OnlinePlacer p = placer(uniform(1, 3, 1));
        Placement before = p.place(vm("web", 2));
        p.state().removeHost(before.shadows().get(1));
        Placement after = p.restoreShadows("web");
        assertThat(after.shadows()).hasSize(1);
        assertThat(after.partialReason()).startsWith("web: no rack left for shadow 2 of 2");
    }

    @Test
    void shouldRefuseToRestoreShadowsOfAVmWithoutAPrimary() {
        OnlinePlacer p = placer(uniform(1, 3, 1));
        Placement before = p.place(vm("web", 1));
        p.state().removeHost(before.primary());
        assertThatThrownBy(() -> p.restoreShadows("web")).hasMessage("web: has no primary (promote a shadow first)");
    }

    // ---- determinism and a randomized check of every hard constraint -------------------------------

    @Test
    void shouldPlaceTheSameWayForTheSameInputAndSeed() {
        Topology t = TopologyGenerator.generate(new TopologyGenerator.Spec(2, 4, 5, 7, true, 40, "dc"));
        List<VmSpec> vms = randomVms(300, new SplittableRandom(3));
        assertThat(placeAll(t, vms, 11)).isEqualTo(placeAll(t, vms, 11));
    }

    @Test
    void shouldNeverBreakAHardConstraintOnARandomWorkloadThatOverfillsTheCluster() {
        Topology t = TopologyGenerator.generate(new TopologyGenerator.Spec(3, 4, 6, 5, true, 40, "dc"));
        OnlinePlacer p = new OnlinePlacer(new ClusterState(t), 9);
        int placed = 0;
        int infeasible = 0;
        for (VmSpec vm : randomVms(3000, new SplittableRandom(5))) {
            try {
                p.place(vm);
                placed++;
            } catch (PlacementInfeasibleException e) {
                assertThat(e.getMessage()).startsWith(vm.name() + ": ");
                infeasible++;
            }
        }
        assertThat(placed).isGreaterThan(100);
        assertThat(infeasible).isGreaterThan(0);
        assertHardConstraintsHold(p.state());
    }

    private static List<String> placeAll(Topology t, List<VmSpec> vms, long seed) {
        OnlinePlacer p = new OnlinePlacer(new ClusterState(t), seed);
        List<String> out = new ArrayList<>();
        for (VmSpec vm : vms) {
            try {
                Placement pl = p.place(vm);
                out.add(pl.name() + "@" + pl.primary() + pl.shadows());
            } catch (PlacementInfeasibleException e) {
                out.add(e.getMessage());
            }
        }
        return out;
    }

    static List<VmSpec> randomVms(int n, SplittableRandom rnd) {
        List<VmSpec> vms = new ArrayList<>(n);
        int[] cpus = {1, 2, 4, 8, 16};
        for (int i = 0; i < n; i++) {
            List<FailureDomain> avoid = new ArrayList<>();
            if (rnd.nextInt(5) == 0) {
                avoid.add(FailureDomain.POD);
            }
            if (rnd.nextInt(5) == 0) {
                avoid.add(FailureDomain.POWER);
            }
            VmSpec vm = vm("vm-" + i, cpus[rnd.nextInt(cpus.length)], 1024L * (1 + rnd.nextInt(32)),
                rnd.nextInt(2000), rnd.nextInt(4), rnd.nextBoolean() ? ShadowMode.SERVING : ShadowMode.STANDBY,
                avoid.toArray(new FailureDomain[0]));
            if (rnd.nextInt(4) == 0) {
                vm = partial(vm);
            }
            if (i > 0 && rnd.nextInt(3) == 0) {
                vm = talking(vm, "vm-" + rnd.nextInt(i));
            }
            vms.add(vm);
        }
        return vms;
    }
}
