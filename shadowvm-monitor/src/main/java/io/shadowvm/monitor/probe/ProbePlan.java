package io.shadowvm.monitor.probe;

import io.shadowvm.core.topology.Topology;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;

/**
 * One host's probe list: peers (topology host indexes, ascending) with an interval each and the rule that
 * put them there. Immutable.
 */
public final class ProbePlan {
    /** Why a peer is probed; the strongest reason wins when several apply. */
    public enum Reason { CROSS_RACK, RACK, PLACEMENT, REQUESTED }

    private final int self;
    private final int[] peers;
    private final long[] intervalMs;
    private final Reason[] reasons;

    ProbePlan(int self, int[] peers, long[] intervalMs, Reason[] reasons) {
        this.self = self;
        this.peers = peers;
        this.intervalMs = intervalMs;
        this.reasons = reasons;
    }

    public int self() {
        return self;
    }

    public int size() {
        return peers.length;
    }

    public int peer(int i) {
        return peers[i];
    }

    public long intervalMs(int i) {
        return intervalMs[i];
    }

    public Reason reason(int i) {
        return reasons[i];
    }

    /** Position of a host in the plan, or -1. */
    public int indexOf(int host) {
        int i = Arrays.binarySearch(peers, host);
        return i >= 0 ? i : -1;
    }

    /** Probe rounds per second this plan costs. */
    public double probesPerSecond() {
        double r = 0;
        for (long ms : intervalMs) {
            r += 1_000.0 / ms;
        }
        return r;
    }

    /**
     * Only the named peers (the CLI's {@code --peers}): a named host the plan holds keeps its interval, one it
     * does not is added at {@code intervalMsIfAbsent}. Unknown names are an error naming them.
     */
    public ProbePlan restrictTo(Collection<String> names, Topology topology, long intervalMsIfAbsent) {
        int[] hosts = names.stream().mapToInt(n -> topology.host(n).index()).filter(h -> h != self).distinct()
            .sorted().toArray();
        long[] iv = new long[hosts.length];
        Reason[] rs = new Reason[hosts.length];
        for (int i = 0; i < hosts.length; i++) {
            int at = indexOf(hosts[i]);
            iv[i] = at >= 0 ? intervalMs[at] : intervalMsIfAbsent;
            rs[i] = at >= 0 ? reasons[at] : Reason.REQUESTED;
        }
        return new ProbePlan(self, hosts, iv, rs);
    }

    /** Every interval set to {@code ms}. */
    public ProbePlan withIntervalMs(long ms) {
        long[] iv = new long[peers.length];
        Arrays.fill(iv, ms);
        return new ProbePlan(self, peers, iv, reasons);
    }

    /** The peers as a set of host indexes (tests, diagnostics; allocates). */
    public Set<Integer> peerSet() {
        return Set.copyOf(Arrays.stream(peers).boxed().toList());
    }
}
