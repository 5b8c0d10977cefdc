package io.shadowvm.placement.rebalance.solver;

import static ai.timefold.solver.core.api.score.stream.ConstraintCollectors.sumLong;

import ai.timefold.solver.core.api.score.buildin.hardsoftlong.HardSoftLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import ai.timefold.solver.core.api.score.stream.Joiners;
import io.shadowvm.placement.rebalance.domain.RoleAssignment;

/**
 * The rules of a good placement, one method per rule (Timefold quickstart style), each tested on its own
 * with {@code ConstraintVerifier}.
 *
 * <p>Hard: a host's cores, memory and NIC bandwidth are not overcommitted; no two roles of a VM share a
 * rack, nor a pod or power domain when the VM's policy avoids them.
 *
 * <p>Soft (one level; the weights below set the exchange rate): sync streams keep uplink headroom (each
 * rack uplink costs {@code load² / capacity}, in Mbps, which is the capacity times its utilisation squared,
 * so spreading sync load over uplinks pays); shadows are few hops from their primary ({@value #HOP_WEIGHT} per
 * hop); hosts are evenly loaded ({@code (cores‰² + memory‰²) / 200} per host, 10,000 for a full host); and
 * the plan stays close to today's placement (a moved role costs {@value #MOVE_BASE_COST} plus one per GiB of
 * memory to copy). The exchange rate: moving a 4 GiB role (cost 14) pays when it evens out about 60‰ of
 * load between two hosts, or brings a shadow into its primary's pod (2 hops = 20).
 */
public final class RebalanceConstraintProvider implements ConstraintProvider {
    public static final long HOP_WEIGHT = 10;
    /** A moved role costs this plus one point per GiB of memory it must copy. */
    public static final long MOVE_BASE_COST = 10;

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
            hostCoresCapacity(factory),
            hostMemoryCapacity(factory),
            hostNicCapacity(factory),
            rolesOfAVmOnDistinctRacks(factory),
            rolesOfAVmOnDistinctPodsWhenAvoided(factory),
            rolesOfAVmOnDistinctPowerDomainsWhenAvoided(factory),
            syncUplinkHeadroom(factory),
            shadowHopsFromPrimary(factory),
            hostLoadBalance(factory),
            movesFromCurrentPlacement(factory),
        };
    }

    // ---- hard --------------------------------------------------------------------------------------

    Constraint hostCoresCapacity(ConstraintFactory factory) {
        return factory.forEach(RoleAssignment.class)
            .groupBy(RoleAssignment::getHost, sumLong(RoleAssignment::coresDemand))
            .filter((host, used) -> used > host.cores())
            .penalizeLong(HardSoftLongScore.ONE_HARD, (host, used) -> used - host.cores())
            .asConstraint("host cores capacity");
    }

    Constraint hostMemoryCapacity(ConstraintFactory factory) {
        return factory.forEach(RoleAssignment.class)
            .groupBy(RoleAssignment::getHost, sumLong(RoleAssignment::memoryDemandMib))
            .filter((host, used) -> used > host.memoryMib())
            .penalizeLong(HardSoftLongScore.ONE_HARD, (host, used) -> (used - host.memoryMib() + 1023) / 1024)
            .asConstraint("host memory capacity");
    }

    Constraint hostNicCapacity(ConstraintFactory factory) {
        return factory.forEach(RoleAssignment.class)
            .groupBy(RoleAssignment::getHost, sumLong(RoleAssignment::nicDemandMbps))
            .filter((host, used) -> used > host.nicMbps())
            .penalizeLong(HardSoftLongScore.ONE_HARD, (host, used) -> (used - host.nicMbps() + 999) / 1000)
            .asConstraint("host NIC capacity");
    }

    Constraint rolesOfAVmOnDistinctRacks(ConstraintFactory factory) {
        return factory.forEachUniquePair(RoleAssignment.class,
                Joiners.equal(RoleAssignment::getVm), Joiners.equal(RoleAssignment::rack))
            .penalize(HardSoftLongScore.ONE_HARD)
            .asConstraint("roles of a VM on distinct racks");
    }

    Constraint rolesOfAVmOnDistinctPodsWhenAvoided(ConstraintFactory factory) {
        return factory.forEachUniquePair(RoleAssignment.class,
                Joiners.equal(RoleAssignment::getVm), Joiners.equal(a -> a.rack().pod()))
            .filter((a, b) -> a.getVm().avoidPod())
            .penalize(HardSoftLongScore.ONE_HARD)
            .asConstraint("roles of a VM on distinct pods when avoided");
    }

    Constraint rolesOfAVmOnDistinctPowerDomainsWhenAvoided(ConstraintFactory factory) {
        return factory.forEachUniquePair(RoleAssignment.class,
                Joiners.equal(RoleAssignment::getVm), Joiners.equal(a -> a.rack().power()))
            .filter((a, b) -> a.getVm().avoidPower())
            .penalize(HardSoftLongScore.ONE_HARD)
            .asConstraint("roles of a VM on distinct power domains when avoided");
    }

    // ---- soft --------------------------------------------------------------------------------------

    Constraint syncUplinkHeadroom(ConstraintFactory factory) {
        return factory.forEach(RoleAssignment.class)
            .filter(a -> a.getVm().shadows() > 0 && a.getVm().syncMbps() > 0)
            .groupBy(RoleAssignment::rack, sumLong(RoleAssignment::uplinkSyncMbps))
            .penalizeLong(HardSoftLongScore.ONE_SOFT, (rack, load) -> load * load / Math.max(1, rack.uplinkMbps()))
            .asConstraint("sync uplink headroom");
    }

    Constraint shadowHopsFromPrimary(ConstraintFactory factory) {
        return factory.forEach(RoleAssignment.class)
            .filter(RoleAssignment::isShadow)
            .join(factory.forEach(RoleAssignment.class).filter(RoleAssignment::isPrimary),
                Joiners.equal(RoleAssignment::getVm))
            .penalizeLong(HardSoftLongScore.ofSoft(HOP_WEIGHT), (shadow, primary) -> shadow.getHost().hopsTo(primary.getHost()))
            .asConstraint("shadow hops from primary");
    }

    Constraint hostLoadBalance(ConstraintFactory factory) {
        return factory.forEach(RoleAssignment.class)
            .groupBy(RoleAssignment::getHost, sumLong(RoleAssignment::coresDemand), sumLong(RoleAssignment::memoryDemandMib))
            .penalizeLong(HardSoftLongScore.ONE_SOFT, (host, cores, mem) -> {
                long c = cores * 1000 / host.cores();
                long m = mem * 1000 / host.memoryMib();
                return (c * c + m * m) / 200;
            })
            .asConstraint("host load balance");
    }

    /** The cost of moving one role: a fixed part plus the memory to copy, in GiB rounded up. */
    public static long moveCost(RoleAssignment a) {
        return MOVE_BASE_COST + (a.memoryDemandMib() + 1023) / 1024;
    }

    Constraint movesFromCurrentPlacement(ConstraintFactory factory) {
        return factory.forEach(RoleAssignment.class)
            .filter(RoleAssignment::isMoved)
            .penalizeLong(HardSoftLongScore.ONE_SOFT, RebalanceConstraintProvider::moveCost)
            .asConstraint("moves from current placement");
    }
}
