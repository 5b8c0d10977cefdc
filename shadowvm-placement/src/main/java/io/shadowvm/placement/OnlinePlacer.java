package io.shadowvm.placement;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.VmSpec;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Places one VM at a time (primary, then its shadows) into a {@link ClusterState}, the way Nova's filter
 * scheduler and the Kubernetes scheduler do: hard filters first, then weights.
 *
 * <p><b>Filters</b> (never violated): the host is alive and has the cores, memory and NIC bandwidth free
 * (a primary needs the VM's {@code networkMbps}, a shadow its sync stream); every shadow is on a rack other
 * than the primary's and the other shadows', and in another pod / power domain when the policy avoids them.
 *
 * <p><b>Weights</b>: see {@link PlacementWeights}. Racks are scored first, from per-rack aggregates that the
 * state keeps current (largest free amount on one host, free memory share, uplink sync load), so a rack
 * whose best host cannot fit is pruned without looking at its hosts; then only the hosts of the best rack are
 * scored. Cost per VM is O(racks + hosts per rack) rather than O(hosts). When the best rack's hosts do not
 * fit after all (the aggregates are per resource, an upper bound), the next rack is tried, so a feasible
 * host is never missed.
 *
 * <p>The primary is tried on the best host of up to {@value #PRIMARY_CANDIDATES} racks in order; the first
 * whose shadows all fit wins. Deterministic: the same state, VM and seed give the same placement; the seed
 * only rotates where rack scans start, which decides ties. Not thread-safe (it mutates the state).
 */
public final class OnlinePlacer {
    static final int PRIMARY_CANDIDATES = 4;

    private final ClusterState state;
    private final PlacementWeights weights;
    private final SplittableRandom random;
    private final int racks;
    private final int[] rackPod;
    private final int[][] rackHosts;
    private final int[] capCores;
    private final long[] capMemoryMib;
    private final double[] capNicMbps;
    // scratch, reused across calls
    private final int[] rackMark;
    private final int[] podMark;
    private final int[] powerMark;
    private int stamp;
    private final int[] feasibleRacks;
    private final double[] feasibleScores;
    private int[] partners = new int[8];
    private int partnerCount;
    private final int[] primaryRacks;
    private final double[] primaryScores;

    public OnlinePlacer(ClusterState state, PlacementWeights weights, long seed) {
        this.state = state;
        this.weights = weights;
        this.random = new SplittableRandom(seed);
        Topology t = state.topology();
        this.racks = t.racks().size();
        rackPod = new int[racks];
        rackHosts = new int[racks][];
        for (int r = 0; r < racks; r++) {
            rackPod[r] = t.racks().get(r).pod();
            rackHosts[r] = t.racks().get(r).hosts().stream().mapToInt(Integer::intValue).toArray();
        }
        int n = t.hosts().size();
        capCores = new int[n];
        capMemoryMib = new long[n];
        capNicMbps = new double[n];
        for (Host h : t.hosts()) {
            capCores[h.index()] = h.cores();
            capMemoryMib[h.index()] = h.memoryMib();
            capNicMbps[h.index()] = h.nicGbps() * 1000.0;
        }
        rackMark = new int[racks];
        podMark = new int[t.pods().size()];
        int powers = 0;
        for (int r = 0; r < racks; r++) {
            powers = Math.max(powers, state.powerOfRack(r) + 1);
        }
        powerMark = new int[powers];
        feasibleRacks = new int[racks];
        feasibleScores = new double[racks];
        primaryRacks = new int[racks];
        primaryScores = new double[racks];
    }

    public OnlinePlacer(ClusterState state, long seed) {
        this(state, PlacementWeights.DEFAULT, seed);
    }

    public ClusterState state() {
        return state;
    }

    /**
     * Places {@code vm} and its shadows and reserves their capacity.
     *
     * @return the placement; {@link Placement#isPartial()} when the policy allows partial placement and
     *         fewer shadows fit, with the reason
     * @throws PlacementInfeasibleException naming the VM and the constraint no host met (state unchanged)
     */
    public Placement place(VmSpec vm) {
        if (state.isPlaced(vm.name())) {
            throw new ShadowVmException(vm.name() + ": already placed");
        }
        collectPartners(vm);
        int start = racks == 0 ? 0 : random.nextInt(racks);
        int primaryRackCount = scorePrimaryRacks(vm, start);
        int n = vm.policy().shadows();
        int[] shadows = new int[n];
        int[] bestShadows = null;
        int bestPrimary = -1;
        int bestCount = -1;
        // candidates are produced lazily, best rack first: the first one nearly always takes all shadows
        for (int c = 0; c < PRIMARY_CANDIDATES; c++) {
            int primary = nextPrimary(vm, primaryRackCount);
            if (primary < 0) {
                break;
            }
            int placed = chooseShadows(vm, primary, shadows, start);
            if (placed == n) {
                return state.place(vm, primary, shadows, null);
            }
            if (placed > bestCount) {
                bestCount = placed;
                bestPrimary = primary;
                bestShadows = Arrays.copyOf(shadows, placed);
            }
        }
        if (bestPrimary < 0) {
            throw Diagnosis.of(state, vm, 0, -1, new int[0], 0);
        }
        PlacementInfeasibleException why = Diagnosis.of(state, vm, bestCount + 1, bestPrimary, bestShadows, bestCount);
        if (vm.policy().allowPartial()) {
            return state.place(vm, bestPrimary, bestShadows, why.getMessage());
        }
        throw why;
    }

    /**
     * Places the shadows a VM is missing (after a host failure took some, or a partial placement) with the same
     * filters and weights, keeping its primary and its remaining shadows where they are. Places as many as fit;
     * when fewer than missing, the placement's {@link Placement#partialReason()} says why.
     *
     * @throws ShadowVmException when the VM is not placed or has no primary (promote a shadow first)
     */
    public Placement restoreShadows(String vmName) {
        Placement p = state.placement(vmName);
        if (p == null) {
            throw new ShadowVmException(vmName + ": not placed");
        }
        if (p.primaryIndex() < 0) {
            throw new ShadowVmException(vmName + ": has no primary (promote a shadow first)");
        }
        VmSpec vm = p.vm();
        int have = p.shadows().size();
        int missing = vm.policy().shadows() - have;
        if (missing <= 0) {
            return p;
        }
        stamp++;
        boolean avoidPod = vm.policy().avoids(FailureDomain.POD);
        boolean avoidPower = vm.policy().avoids(FailureDomain.POWER);
        exclude(p.primaryIndex(), avoidPod, avoidPower);
        int[] all = Arrays.copyOf(p.shadowIndexes(), vm.policy().shadows());
        for (int i = 0; i < have; i++) {
            exclude(all[i], avoidPod, avoidPower);
        }
        int[] added = new int[missing];
        int placed = fillShadows(vm, p.primaryIndex(), added, racks == 0 ? 0 : random.nextInt(racks));
        System.arraycopy(added, 0, all, have, placed);
        String reason = placed == missing ? null
            : Diagnosis.of(state, vm, have + placed + 1, p.primaryIndex(), all, have + placed).getMessage();
        return state.addShadows(vmName, Arrays.copyOf(added, placed), reason);
    }

    /**
     * Places exactly one more shadow for a placed VM that has a primary: after one of its shadows was lost (its
     * host failed, or a promotion used it up), or after its policy's count grew
     * ({@link ClusterState#changeShadowCount}). The same hard filters as {@link #place} — a rack other than the
     * primary's and every other shadow's, another pod / power domain when the policy avoids them, cores, memory
     * and the sync stream's NIC bandwidth free — and the same weights (sync-path headroom, hops, spread).
     *
     * @return the VM's placement with the new shadow last
     * @throws PlacementInfeasibleException naming the VM, the shadow ({@code k of n}) and the constraint no host met
     *         (state unchanged)
     * @throws ShadowVmException when the VM is not placed, has no primary (promote a shadow first), or already has
     *         its policy's number of shadows
     */
    public Placement addShadow(String vmName) {
        Placement p = state.placement(vmName);
        if (p == null) {
            throw new ShadowVmException(vmName + ": not placed (" + state.placedCount() + " VMs are)");
        }
        if (p.primaryIndex() < 0) {
            throw new ShadowVmException(vmName + ": has no primary (promote a shadow first)");
        }
        VmSpec vm = p.vm();
        int have = p.shadows().size();
        if (have >= vm.policy().shadows()) {
            throw new ShadowVmException(vmName + ": already has " + have + " of " + vm.policy().shadows()
                + " shadows (expected: fewer, or a larger count in its policy first)");
        }
        stamp++;
        boolean avoidPod = vm.policy().avoids(FailureDomain.POD);
        boolean avoidPower = vm.policy().avoids(FailureDomain.POWER);
        exclude(p.primaryIndex(), avoidPod, avoidPower);
        int[] all = Arrays.copyOf(p.shadowIndexes(), have + 1);
        for (int i = 0; i < have; i++) {
            exclude(all[i], avoidPod, avoidPower);
        }
        int[] one = new int[1];
        if (fillShadows(vm, p.primaryIndex(), one, racks == 0 ? 0 : random.nextInt(racks)) == 0) {
            throw Diagnosis.of(state, vm, have + 1, p.primaryIndex(), all, have);
        }
        String stillShort = have + 1 == vm.policy().shadows() ? null : p.partialReason() != null ? p.partialReason()
            : (have + 1) + " of " + vm.policy().shadows() + " shadows placed";
        return state.addShadows(vmName, one, stillShort);
    }

    /** Places VMs in order; stops at (and throws) the first infeasible one. */
    public List<Placement> placeAll(List<VmSpec> vms) {
        return vms.stream().map(this::place).toList();
    }

    // ---- the primary -------------------------------------------------------------------------------

    /** Scores every rack that may hold the primary into {@code primaryRacks}/{@code primaryScores}. */
    private int scorePrimaryRacks(VmSpec vm, int start) {
        int cores = vm.vcpus();
        long mem = vm.memoryMib();
        double nic = vm.networkMbps();
        int count = 0;
        for (int i = 0; i < racks; i++) {
            int r = start + i < racks ? start + i : start + i - racks;
            if (state.rackAliveHosts(r) == 0 || !state.rackMayFit(r, cores, mem, nic)) {
                continue;
            }
            primaryRacks[count] = r;
            primaryScores[count] = weights.spread() * state.rackFreeMemoryFraction(r)
                + (partnerCount == 0 ? 0 : weights.affinity() * affinity(r));
            count++;
        }
        return count;
    }

    /** The best host of the best remaining primary rack (which is then used up), or -1 when none is left. */
    private int nextPrimary(VmSpec vm, int count) {
        for (int i = argmax(primaryScores, count); i >= 0; i = argmax(primaryScores, count)) {
            primaryScores[i] = Double.NEGATIVE_INFINITY;
            int h = bestHost(primaryRacks[i], vm.vcpus(), vm.memoryMib(), vm.networkMbps(), -1, 0);
            if (h >= 0) {
                return h;
            }
        }
        return -1;
    }

    /** How near rack {@code r} is to the primaries of the VM's communication partners, in [0, 1]. */
    private double affinity(int r) {
        if (partnerCount == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < partnerCount; i++) {
            int pr = state.rackOf(partners[i]);
            sum += pr == r ? 1.0 : rackPod[pr] == rackPod[r] ? 0.5 : 0.0;
        }
        return sum / partnerCount;
    }

    private void collectPartners(VmSpec vm) {
        partnerCount = 0;
        for (String p : vm.communicatesWith()) {
            addPartner(state.primaryOf(p));
        }
        for (String p : state.talkersTo(vm.name())) {
            addPartner(state.primaryOf(p));
        }
    }

    private void addPartner(int host) {
        if (host < 0) {
            return;
        }
        if (partnerCount == partners.length) {
            partners = Arrays.copyOf(partners, partners.length * 2);
        }
        partners[partnerCount++] = host;
    }

    // ---- the shadows -------------------------------------------------------------------------------

    /** Chooses up to N shadows for a primary on {@code primary}; returns how many fit. */
    private int chooseShadows(VmSpec vm, int primary, int[] out, int start) {
        stamp++;
        exclude(primary, vm.policy().avoids(FailureDomain.POD), vm.policy().avoids(FailureDomain.POWER));
        return fillShadows(vm, primary, out, start);
    }

    /** Fills {@code out} with shadows outside the domains already excluded under the current stamp. */
    private int fillShadows(VmSpec vm, int primary, int[] out, int start) {
        boolean avoidPod = vm.policy().avoids(FailureDomain.POD);
        boolean avoidPower = vm.policy().avoids(FailureDomain.POWER);
        int cores = vm.shadowVcpus();
        long mem = vm.memoryMib();
        double sync = state.syncMbps(vm);
        int primaryRack = state.rackOf(primary);
        int primaryPod = rackPod[primaryRack];
        for (int k = 0; k < out.length; k++) {
            int count = 0;
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < racks; i++) {
                int r = start + i < racks ? start + i : start + i - racks;
                if (rackMark[r] == stamp || (avoidPod && podMark[rackPod[r]] == stamp)
                    || (avoidPower && powerMark[state.powerOfRack(r)] == stamp)
                    || state.rackAliveHosts(r) == 0 || !state.rackMayFit(r, cores, mem, sync)) {
                    continue;
                }
                double uplinkHeadroom = Math.min(
                    state.uplinkCapacityMbps(primaryRack) - state.uplinkSyncMbps(primaryRack),
                    state.uplinkCapacityMbps(r) - state.uplinkSyncMbps(r)) - sync;
                double cap = Math.min(state.uplinkCapacityMbps(primaryRack), state.uplinkCapacityMbps(r));
                double score = weights.syncHeadroom() * clamp01(uplinkHeadroom / cap)
                    + weights.hops() * (rackPod[r] == primaryPod ? 1.0 : 0.0)
                    + weights.spread() * state.rackFreeMemoryFraction(r);
                feasibleRacks[count] = r;
                feasibleScores[count] = score;
                if (score > bestScore) {
                    bestScore = score;
                    best = count;
                }
                count++;
            }
            int h = -1;
            while (best >= 0) {
                h = bestHost(feasibleRacks[best], cores, mem, sync, primary, sync);
                if (h >= 0) {
                    break;
                }
                feasibleScores[best] = Double.NEGATIVE_INFINITY;
                best = argmax(feasibleScores, count);
            }
            if (h < 0) {
                return k;
            }
            out[k] = h;
            exclude(h, avoidPod, avoidPower);
        }
        return out.length;
    }

    private void exclude(int host, boolean avoidPod, boolean avoidPower) {
        int r = state.rackOf(host);
        rackMark[r] = stamp;
        if (avoidPod) {
            podMark[rackPod[r]] = stamp;
        }
        if (avoidPower) {
            powerMark[state.powerOfRack(r)] = stamp;
        }
    }

    // ---- hosts within a rack -----------------------------------------------------------------------

    /**
     * The best host of rack {@code r} that fits, or -1. Hosts are weighed by how empty they stay (spread) and,
     * for a shadow ({@code primary >= 0}), by the NIC headroom left after its sync stream.
     */
    private int bestHost(int r, int cores, long mem, double nic, int primary, double sync) {
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int h : rackHosts[r]) {
            if (!state.fits(h, cores, mem, nic)) {
                continue;
            }
            double spread = 0.5 * (state.freeCores(h) - cores) / capCores[h]
                + 0.5 * (double) (state.freeMemoryMib(h) - mem) / capMemoryMib[h];
            double score = weights.spread() * spread;
            if (primary >= 0) {
                score += weights.syncHeadroom() * clamp01((state.freeNicMbps(h) - sync) / capNicMbps[h]);
            }
            if (score > bestScore) {
                bestScore = score;
                best = h;
            }
        }
        return best;
    }

    // ---- small helpers -----------------------------------------------------------------------------

    /**
     * Index of the largest score among the first {@code count} (the earliest on ties, i.e. scan order), or -1
     * when all are used up ({@code -Infinity}).
     */
    private static int argmax(double[] scores, int count) {
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            if (scores[i] > bestScore) {
                bestScore = scores[i];
                best = i;
            }
        }
        return best;
    }

    private static double clamp01(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
