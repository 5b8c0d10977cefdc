package io.shadowvm.placement.rebalance.solver;

import ai.timefold.solver.test.api.score.stream.ConstraintVerifier;
import io.shadowvm.placement.rebalance.domain.HostFact;
import io.shadowvm.placement.rebalance.domain.RackFact;
import io.shadowvm.placement.rebalance.domain.RebalancePlan;
import io.shadowvm.placement.rebalance.domain.RoleAssignment;
import io.shadowvm.placement.rebalance.domain.VmFact;
import org.junit.jupiter.api.Test;

class RebalanceConstraintProviderTest {
    private final ConstraintVerifier<RebalanceConstraintProvider, RebalancePlan> verifier =
        ConstraintVerifier.build(new RebalanceConstraintProvider(), RebalancePlan.class, RoleAssignment.class);

    // pod 0: racks A (power 0) and B (power 1); pod 1: rack C (power 0)
    private final RackFact rackA = new RackFact(0, "A", 0, 0, 1000);
    private final RackFact rackB = new RackFact(1, "B", 0, 1, 1000);
    private final RackFact rackC = new RackFact(2, "C", 1, 0, 1000);
    private final HostFact a1 = new HostFact(0, "a1", rackA, 8, 16384, 1000);
    private final HostFact a2 = new HostFact(1, "a2", rackA, 8, 16384, 1000);
    private final HostFact b1 = new HostFact(2, "b1", rackB, 8, 16384, 1000);
    private final HostFact c1 = new HostFact(3, "c1", rackC, 8, 16384, 1000);
    private long ids;

    private static VmFact vm(String name, long vcpus, long shadowVcpus, long memoryMib, long net, long sync, int shadows,
                             boolean avoidPod, boolean avoidPower) {
        return new VmFact(name, vcpus, shadowVcpus, memoryMib, net, sync, shadows, avoidPod, avoidPower);
    }

    private static VmFact small(String name, int shadows) {
        return vm(name, 1, 0, 1024, 10, 10, shadows, false, false);
    }

    private RoleAssignment role(VmFact vm, int role, HostFact host) {
        return new RoleAssignment(ids++, vm, role, host, host);
    }

    @Test
    void hostCoresCapacity() {
        VmFact big = vm("big", 6, 6, 1024, 10, 10, 1, false, false);
        VmFact standby = vm("standby", 6, 0, 1024, 10, 10, 1, false, false);
        verifier.verifyThat(RebalanceConstraintProvider::hostCoresCapacity)
            .given(role(big, 0, a1), role(big, 1, b1), role(small("x", 0), 0, a1), role(small("y", 0), 0, b1),
                role(standby, 1, b1))
            // a1: 6 + 1 = 7 of 8; b1: serving shadow 6 + 1 + standby shadow 0 = 7 of 8 -> no penalty
            .penalizesBy(0);
        verifier.verifyThat(RebalanceConstraintProvider::hostCoresCapacity)
            .given(role(big, 0, a1), role(vm("big2", 6, 6, 1024, 10, 10, 0, false, false), 0, a1))
            .penalizesBy(4);
    }

    @Test
    void hostMemoryCapacity() {
        VmFact m = vm("m", 1, 0, 12288, 10, 10, 1, false, false);
        VmFact n = vm("n", 1, 0, 12288, 10, 10, 1, false, false);
        verifier.verifyThat(RebalanceConstraintProvider::hostMemoryCapacity)
            .given(role(m, 0, a1), role(n, 1, a1), role(m, 1, b1))
            .penalizesBy(8); // a1 holds 24 GiB of 16 GiB: 8 GiB over
    }

    @Test
    void hostNicCapacity() {
        VmFact web = vm("web", 1, 0, 1024, 800, 700, 1, false, false);
        VmFact db = vm("db", 1, 0, 1024, 800, 700, 1, false, false);
        verifier.verifyThat(RebalanceConstraintProvider::hostNicCapacity)
            .given(role(web, 0, a1), role(db, 1, a1), role(db, 0, b1), role(web, 1, c1))
            .penalizesBy(1); // a1: 800 + 700 = 1500 of 1000 Mbps: 1 Gbps (rounded up) over
    }

    @Test
    void rolesOfAVmOnDistinctRacks() {
        VmFact web = small("web", 2);
        verifier.verifyThat(RebalanceConstraintProvider::rolesOfAVmOnDistinctRacks)
            .given(role(web, 0, a1), role(web, 1, a2), role(web, 2, b1))
            .penalizesBy(1);
        VmFact ok = small("ok", 2);
        verifier.verifyThat(RebalanceConstraintProvider::rolesOfAVmOnDistinctRacks)
            .given(role(ok, 0, a1), role(ok, 1, b1), role(ok, 2, c1), role(small("other", 0), 0, a2))
            .penalizesBy(0);
    }

    @Test
    void rolesOfAVmOnDistinctPodsWhenAvoided() {
        VmFact avoiding = vm("db", 1, 0, 1024, 10, 10, 1, true, false);
        verifier.verifyThat(RebalanceConstraintProvider::rolesOfAVmOnDistinctPodsWhenAvoided)
            .given(role(avoiding, 0, a1), role(avoiding, 1, b1))
            .penalizesBy(1);
        VmFact relaxed = small("web", 1);
        verifier.verifyThat(RebalanceConstraintProvider::rolesOfAVmOnDistinctPodsWhenAvoided)
            .given(role(relaxed, 0, a1), role(relaxed, 1, b1))
            .penalizesBy(0);
    }

    @Test
    void rolesOfAVmOnDistinctPowerDomainsWhenAvoided() {
        VmFact avoiding = vm("db", 1, 0, 1024, 10, 10, 1, false, true);
        verifier.verifyThat(RebalanceConstraintProvider::rolesOfAVmOnDistinctPowerDomainsWhenAvoided)
            .given(role(avoiding, 0, a1), role(avoiding, 1, c1)) // racks A and C share power domain 0
            .penalizesBy(1);
        verifier.verifyThat(RebalanceConstraintProvider::rolesOfAVmOnDistinctPowerDomainsWhenAvoided)
            .given(role(avoiding, 0, a1), role(avoiding, 1, b1))
            .penalizesBy(0);
    }

    @Test
    void syncUplinkHeadroom() {
        VmFact web = vm("web", 1, 0, 1024, 100, 100, 2, false, false);
        // rack A sends 2 x 100 Mbps: 200^2/1000 = 40; racks B and C receive 100 each: 10 + 10
        verifier.verifyThat(RebalanceConstraintProvider::syncUplinkHeadroom)
            .given(role(web, 0, a1), role(web, 1, b1), role(web, 2, c1), role(small("solo", 0), 0, a2))
            .penalizesBy(60);
    }

    @Test
    void shadowHopsFromPrimary() {
        VmFact web = small("web", 2);
        verifier.verifyThat(RebalanceConstraintProvider::shadowHopsFromPrimary)
            .given(role(web, 0, a1), role(web, 1, b1), role(web, 2, c1))
            .penalizesBy(4 + 6);
    }

    @Test
    void hostLoadBalance() {
        VmFact half = vm("half", 4, 0, 8192, 10, 10, 0, false, false);
        // a1 at 500 per mille of cores and of memory: (500^2 + 500^2) / 200 = 2500
        verifier.verifyThat(RebalanceConstraintProvider::hostLoadBalance)
            .given(role(half, 0, a1))
            .penalizesBy(2500);
    }

    @Test
    void movesFromCurrentPlacement() {
        VmFact web = small("web", 1);
        RoleAssignment moved = new RoleAssignment(ids++, web, 1, b1, c1);
        verifier.verifyThat(RebalanceConstraintProvider::movesFromCurrentPlacement)
            .given(role(web, 0, a1), moved)
            .penalizesBy(RebalanceConstraintProvider.MOVE_BASE_COST + 1); // 1 GiB to copy
    }
}
