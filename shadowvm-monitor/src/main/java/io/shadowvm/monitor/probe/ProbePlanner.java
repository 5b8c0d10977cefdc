package io.shadowvm.monitor.probe;

import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Rack;
import io.shadowvm.core.topology.Topology;
import java.util.BitSet;
import java.util.List;

/**
 * Computes each host's {@link ProbePlan} from the topology and a {@link ProbePolicy} (cold path, once per
 * topology or placement change). Deterministic for a given seed, so the controller and the agents agree.
 *
 * <p>Cross-rack coverage: the other racks are dealt out to the hosts of a rack by rank (host at position
 * {@code r} of a rack of {@code H} takes every rack whose position in a rack-seeded shuffle is congruent
 * to {@code r} mod {@code H}), so a rack as a whole probes every other rack; hosts that were dealt fewer
 * than {@code minCrossRackPeers} racks take more from the shuffle. The target host inside a probed rack is
 * a seeded hash of the prober, so the load on a rack's hosts is spread.
 */
public final class ProbePlanner {
    private final Topology topology;
    private final ProbePolicy policy;
    private final BitSet placements;

    /** @param placements host indexes that are potential placements (of a VM and its shadows); may be empty */
    public ProbePlanner(Topology topology, ProbePolicy policy, BitSet placements) {
        this.topology = topology;
        this.policy = policy;
        this.placements = (BitSet) placements.clone();
        if (placements.length() > topology.hosts().size()) {
            throw new ProbeFrameException("invalid placement host index: " + (placements.length() - 1)
                + " (expected: 0-" + (topology.hosts().size() - 1) + ")");
        }
    }

    public ProbePlan plan(String host) {
        return plan(topology.host(host).index());
    }

    public ProbePlan plan(int self) {
        int n = topology.hosts().size();
        long[] interval = new long[n];           // 0 = not probed; dense is fine on this cold path
        ProbePlan.Reason[] reason = new ProbePlan.Reason[n];
        Host me = topology.host(self);
        Rack myRack = topology.racks().get(me.rack());

        for (int h : myRack.hosts()) {
            if (h != self) {
                put(interval, reason, h, policy.intraRackIntervalMs(), ProbePlan.Reason.RACK);
            }
        }
        addCrossRack(self, me, myRack, interval, reason);
        boolean placementHost = placements.get(self);
        if (placementHost) {
            for (int h = placements.nextSetBit(0); h >= 0; h = placements.nextSetBit(h + 1)) {
                if (h != self) {
                    put(interval, reason, h, policy.placementPairBoundMs(), ProbePlan.Reason.PLACEMENT);
                }
            }
        }
        // a placement peer costs at least one probe per bound (fixed); anything faster, and every other
        // peer, can be stretched to fit the cap
        int count = 0;
        int placementPeers = 0;
        double fixedRate = 0;
        double stretchableRate = 0;
        double perBound = 1_000.0 / policy.placementPairBoundMs();
        for (int h = 0; h < n; h++) {
            if (interval[h] > 0) {
                count++;
                double rate = 1_000.0 / interval[h];
                if (reason[h] == ProbePlan.Reason.PLACEMENT) {
                    placementPeers++;
                    fixedRate += perBound;
                    stretchableRate += rate - perBound;
                } else {
                    stretchableRate += rate;
                }
            }
        }
        double cap = policy.maxProbesPerSecond();
        if (fixedRate > cap) {
            throw new ProbeFrameException("probing " + placementPeers + " placement peers of host " + me.name() + " at most every "
                + policy.placementPairBoundMs() + " ms needs " + round(fixedRate) + " probes/s (expected: at most "
                + round(cap) + "/s; raise the cap or the bound)");
        }
        double stretch = stretchableRate + fixedRate > cap ? stretchableRate / (cap - fixedRate) : 1.0;
        int[] peers = new int[count];
        long[] iv = new long[count];
        ProbePlan.Reason[] rs = new ProbePlan.Reason[count];
        int i = 0;
        for (int h = 0; h < n; h++) {
            if (interval[h] > 0) {
                peers[i] = h;
                rs[i] = reason[h];
                long stretched = (long) Math.ceil(interval[h] * stretch);
                iv[i] = reason[h] == ProbePlan.Reason.PLACEMENT ? Math.min(policy.placementPairBoundMs(), stretched)
                    : Math.min(ProbePolicy.MAX_INTERVAL_MS, stretched);
                i++;
            }
        }
        return new ProbePlan(self, peers, iv, rs);
    }

    private void addCrossRack(int self, Host me, Rack myRack, long[] interval, ProbePlan.Reason[] reason) {
        List<Rack> racks = topology.racks();
        int others = racks.size() - 1;
        if (others == 0) {
            return;
        }
        // the other racks in an order shuffled per source rack, identical for all its hosts
        int[] order = new int[others];
        for (int r = 0, k = 0; r < racks.size(); r++) {
            if (r != me.rack()) {
                order[k++] = r;
            }
        }
        shuffle(order, mix(policy.seed(), me.rack()));
        int rank = myRack.hosts().indexOf(self);
        int rackSize = myRack.hosts().size();
        int taken = 0;
        for (int k = rank % rackSize; k < others; k += rackSize) {
            addOne(self, racks.get(order[k]), interval, reason);
            taken++;
        }
        // top up from the racks dealt to other ranks, so every host also watches a few other racks
        int want = Math.min(policy.minCrossRackPeers(), others);
        for (int j = 0; j < others && taken < want; j++) {
            int k = (rank + 1 + j) % others;
            if (k % rackSize != rank % rackSize) {
                addOne(self, racks.get(order[k]), interval, reason);
                taken++;
            }
        }
    }

    private void addOne(int self, Rack rack, long[] interval, ProbePlan.Reason[] reason) {
        List<Integer> hosts = rack.hosts();
        int h = hosts.get((int) Long.remainderUnsigned(mix(policy.seed() ^ 0x9E3779B97F4A7C15L, self), hosts.size()));
        put(interval, reason, h, policy.crossRackIntervalMs(), ProbePlan.Reason.CROSS_RACK);
    }

    private static void put(long[] interval, ProbePlan.Reason[] reason, int h, long ms, ProbePlan.Reason why) {
        if (interval[h] == 0 || ms < interval[h]) {
            interval[h] = ms;
        }
        if (reason[h] == null || why.ordinal() > reason[h].ordinal()) {
            reason[h] = why;
        }
    }

    private static void shuffle(int[] a, long seed) {
        long s = seed;
        for (int i = a.length - 1; i > 0; i--) {
            s = mix(s, i);
            int j = (int) Long.remainderUnsigned(s, i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** SplitMix64 finaliser of {@code seed + value}: stable across JVMs and releases. */
    static long mix(long seed, long value) {
        long z = seed + value * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String round(double d) {
        return Double.toString(Math.round(d * 10) / 10.0);
    }

    /** All hosts' plans' total probe rate, for sizing (allocates one plan at a time). */
    public double meshProbesPerSecond() {
        double total = 0;
        for (int h = 0; h < topology.hosts().size(); h++) {
            total += plan(h).probesPerSecond();
        }
        return total;
    }

    @Override
    public String toString() {
        return "ProbePlanner[" + topology + ", " + policy + ", " + placements.cardinality() + " placements]";
    }
}
