/**
 * The rebalancing problem in Timefold's terms: problem facts ({@link io.shadowvm.placement.rebalance.domain.HostFact},
 * {@link io.shadowvm.placement.rebalance.domain.RackFact}, {@link io.shadowvm.placement.rebalance.domain.VmFact}),
 * the planning entity ({@link io.shadowvm.placement.rebalance.domain.RoleAssignment}: one VM role and its host)
 * and the planning solution ({@link io.shadowvm.placement.rebalance.domain.RebalancePlan}). No solver logic here.
 */
package io.shadowvm.placement.rebalance.domain;
