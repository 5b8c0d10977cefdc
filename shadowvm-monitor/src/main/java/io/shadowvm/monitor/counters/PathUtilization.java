package io.shadowvm.monitor.counters;

import io.shadowvm.core.topology.Topology;

/**
 * A path's utilization is the maximum over the links it crosses (the bottleneck's load): host link of
 * the source, the two rack uplinks when the racks differ, host link of the destination — the links
 * {@link Topology#path(int, int)} names. Computed without allocation from a per-link array.
 */
public final class PathUtilization {
    private PathUtilization() {
    }

    /**
     * @param linkUtil utilization by {@link io.shadowvm.core.topology.Link#index()}; NaN where unknown
     * @return the maximum over the path's known links, NaN when none is known (0 for a host to itself)
     */
    public static double of(Topology topology, int a, int b, double[] linkUtil) {
        if (a == b) {
            return 0;
        }
        double max = Double.NaN;
        max = maxKnown(max, linkUtil[topology.hostLink(a).index()]);
        max = maxKnown(max, linkUtil[topology.hostLink(b).index()]);
        int ra = topology.host(a).rack();
        int rb = topology.host(b).rack();
        if (ra != rb) {
            max = maxKnown(max, linkUtil[topology.uplink(ra).index()]);
            max = maxKnown(max, linkUtil[topology.uplink(rb).index()]);
        }
        return max;
    }

    private static double maxKnown(double acc, double v) {
        if (Double.isNaN(v)) {
            return acc;
        }
        return Double.isNaN(acc) ? v : Math.max(acc, v);
    }
}
