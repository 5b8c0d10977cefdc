/**
 * The Placement Manager: where each VM's primary and shadows run. {@link io.shadowvm.placement.ClusterState}
 * holds free capacity and who is where (one owner, not thread-safe); {@link io.shadowvm.placement.OnlinePlacer}
 * places one VM at a time (filter, then weigh) and explains infeasibility with a
 * {@link io.shadowvm.placement.PlacementInfeasibleException}; the {@code rebalance} package improves a whole
 * cluster's placement with Timefold Solver. Depends on core and Timefold only.
 */
package io.shadowvm.placement;
