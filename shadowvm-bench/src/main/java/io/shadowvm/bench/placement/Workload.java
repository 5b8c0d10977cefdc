package io.shadowvm.bench.placement;

import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded synthetic VM requests for the placement benchmarks. */
final class Workload {
    private static final int[] VCPUS = {1, 2, 2, 4};
    private static final long[] MEMORY_MIB = {2048, 4096, 4096, 8192};
    private static final double[] NETWORK_MBPS = {20, 50, 100, 200};

    private Workload() {
    }

    /**
     * {@code n} VMs: 1/2/2/4 vCPUs, 2/4/4/8 GiB, 20..200 Mbps; {@code shadows} shadows each (or 1..2 when
     * negative); 10% serving; 10% avoid pods, 10% avoid power domains; 30% talk to one of the previous 1,000 VMs.
     */
    static List<VmSpec> vms(int n, int shadows, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<VmSpec> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int size = rnd.nextInt(VCPUS.length);
            EnumSet<FailureDomain> avoid = EnumSet.of(FailureDomain.RACK);
            if (rnd.nextInt(10) == 0) {
                avoid.add(FailureDomain.POD);
            }
            if (rnd.nextInt(10) == 0) {
                avoid.add(FailureDomain.POWER);
            }
            ShadowMode mode = rnd.nextInt(10) == 0 ? ShadowMode.SERVING : ShadowMode.STANDBY;
            int s = shadows >= 0 ? shadows : 1 + rnd.nextInt(2);
            List<String> partners = i > 0 && rnd.nextInt(10) < 3
                ? List.of("vm-" + Math.max(0, i - 1 - rnd.nextInt(Math.min(i, 1000)))) : List.of();
            out.add(new VmSpec("vm-" + i, VCPUS[size], MEMORY_MIB[size], NETWORK_MBPS[rnd.nextInt(NETWORK_MBPS.length)],
                new ShadowPolicy(s, mode, avoid, 1000, 2000, false, false), partners));
        }
        return out;
    }
}
