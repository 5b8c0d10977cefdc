package io.shadowvm.placement;

/**
 * How much each preference counts when the online placer weighs hosts that passed the hard filters. Every
 * term is normalised to [0, 1] before weighting (see {@code docs/placement.md}).
 *
 * @param spread        prefer emptier racks and hosts (spreads load; Kubernetes' LeastAllocated)
 * @param affinity      prefer a primary near the primaries of the VMs it communicates with
 * @param syncHeadroom  prefer shadows whose path from the primary keeps bandwidth free after the sync stream
 * @param hops          prefer shadows few switch hops from the primary (same pod: 4 hops, other pod: 6)
 */
public record PlacementWeights(double spread, double affinity, double syncHeadroom, double hops) {
    public static final PlacementWeights DEFAULT = new PlacementWeights(1.0, 2.0, 1.0, 0.5);

    public PlacementWeights {
        check("spread", spread);
        check("affinity", affinity);
        check("syncHeadroom", syncHeadroom);
        check("hops", hops);
    }

    private static void check(String name, double v) {
        if (!(v >= 0 && v <= 1000)) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: 0..1000)");
        }
    }
}
