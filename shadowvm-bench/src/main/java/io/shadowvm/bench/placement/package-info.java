/**
 * The Placement Manager's benchmark: online placement at datacenter scale against a full-scan baseline, and
 * Timefold rebalancing of a fragmented cluster (hill climbing against late acceptance). Prints figures and
 * ratios; asserts nothing about time.
 */
package io.shadowvm.bench.placement;
