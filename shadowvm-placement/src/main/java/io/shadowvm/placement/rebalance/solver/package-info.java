/**
 * Batch rebalancing with Timefold Solver: the constraint provider (one method per rule) and
 * {@link io.shadowvm.placement.rebalance.solver.Rebalancer}, which builds a plan from a
 * {@link io.shadowvm.placement.ClusterState}, solves it within a time limit and lists the moves.
 */
package io.shadowvm.placement.rebalance.solver;
