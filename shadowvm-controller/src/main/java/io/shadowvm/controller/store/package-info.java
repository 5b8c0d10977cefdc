/**
 * The cluster store: desired state (VMs and their policies), observed state (hosts, placements, shadows
 * and their acknowledged epochs), fencing epochs and completed failovers, kept in ZooKeeper through
 * Curator ({@link io.shadowvm.controller.store.ZkClusterStore}); {@link io.shadowvm.controller.store.EmbeddedZooKeeper}
 * runs a single ZooKeeper server in process with a data directory when no ensemble is given;
 * {@link io.shadowvm.controller.store.LeaderElection} makes sure only one controller acts.
 *
 * <pre>
 * /shadowvm
 *   /leader                       LeaderLatch participants
 *   /desired/vms/&lt;vm&gt;            VmDesired (JSON)
 *   /observed/hosts/&lt;host&gt;        HostRecord (JSON)
 *   /observed/placements/&lt;vm&gt;     VmPlacement (JSON)
 *   /observed/failovers/f-&lt;seq&gt;    FailoverRecord (JSON, sequential)
 *   /fencing/&lt;host&gt;               the host's fencing epoch (decimal)
 * </pre>
 */
package io.shadowvm.controller.store;
