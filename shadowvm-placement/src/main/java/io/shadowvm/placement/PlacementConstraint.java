package io.shadowvm.placement;

/** The hard constraint that no candidate host met, as named by a {@link PlacementInfeasibleException}. */
public enum PlacementConstraint {
    /** No host in an allowed rack has the memory free. */
    MEMORY,
    /** No host in an allowed rack has the cores free. */
    CORES,
    /** No host in an allowed rack has the NIC bandwidth free (service traffic, or a shadow's sync stream). */
    NIC_BANDWIDTH,
    /** Each resource is free somewhere, but no single host has all of them at once. */
    CAPACITY,
    /** Every rack is excluded by failure-domain separation (rack, and pod or power when avoided). */
    FAILURE_DOMAIN,
    /** No host is in service. */
    NO_LIVE_HOST
}
