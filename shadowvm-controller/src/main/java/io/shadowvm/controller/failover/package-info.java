/**
 * Failover as a pure function: given the placements and a dead host, {@link io.shadowvm.controller.failover.FailoverPlanner}
 * returns the new placements and the actions to send (fence, promote, weights). No I/O, no clock: the
 * control loop persists the fencing epoch before it sends anything the plan says.
 */
package io.shadowvm.controller.failover;
