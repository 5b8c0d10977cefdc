package io.shadowvm.monitor.probe;

/**
 * How a probe list is computed from the topology (Pingmesh's rules): every host of the own rack every
 * {@code intraRackIntervalMs}; hosts in other racks every {@code crossRackIntervalMs}, chosen so that the
 * hosts of a rack together cover every other rack and each host covers at least {@code minCrossRackPeers}
 * racks; every other potential placement at most every {@code placementPairBoundMs}; and no more than
 * {@code maxProbesPerSecond} probe rounds per second per host (rack and cross-rack intervals are
 * stretched to fit, placement pairs never are).
 */
public record ProbePolicy(long intraRackIntervalMs, long crossRackIntervalMs, int minCrossRackPeers,
                          long placementPairBoundMs, double maxProbesPerSecond, long seed) {
    public static final long MIN_INTERVAL_MS = 10;
    public static final long MAX_INTERVAL_MS = 3_600_000;
    public static final ProbePolicy DEFAULT = new ProbePolicy(1_000, 10_000, 2, 10_000, 50, 1);

    public ProbePolicy {
        interval("intra-rack interval", intraRackIntervalMs);
        interval("cross-rack interval", crossRackIntervalMs);
        interval("placement pair bound", placementPairBoundMs);
        if (minCrossRackPeers < 0 || minCrossRackPeers > 10_000) {
            throw new ProbeFrameException("invalid minimum cross-rack peers: " + minCrossRackPeers
                + " (expected: 0-10000)");
        }
        if (!(maxProbesPerSecond >= 0.1 && maxProbesPerSecond <= 100_000)) {
            throw new ProbeFrameException("invalid probe rate cap: " + maxProbesPerSecond
                + "/s (expected: 0.1-100000)");
        }
    }

    private static void interval(String what, long ms) {
        if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
            throw new ProbeFrameException("invalid " + what + ": " + ms + " ms (expected: " + MIN_INTERVAL_MS + "-"
                + MAX_INTERVAL_MS + " ms)");
        }
    }

    /** The same policy with every interval set to {@code ms} (small testbeds, demos). */
    public ProbePolicy withAllIntervalsMs(long ms) {
        return new ProbePolicy(ms, ms, minCrossRackPeers, Math.max(ms, placementPairBoundMs), maxProbesPerSecond, seed);
    }

    public ProbePolicy withMaxProbesPerSecond(double cap) {
        return new ProbePolicy(intraRackIntervalMs, crossRackIntervalMs, minCrossRackPeers, placementPairBoundMs, cap,
            seed);
    }
}
