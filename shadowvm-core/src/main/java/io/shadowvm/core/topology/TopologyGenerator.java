package io.shadowvm.core.topology;

import io.shadowvm.core.ShadowVmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a leaf-spine datacenter: {@code pods × racksPerPod} racks (ToR switches) of
 * {@code hostsPerRack} hosts. Racks alternate between two power domains per pod. With
 * {@code heterogeneous}, host sizes are drawn (seeded) from three common server shapes; otherwise every
 * host is 32 cores / 256 GiB / 25 Gbps. Names: pods {@code p1}, racks {@code p1r1}, hosts {@code p1r1h1}.
 */
public final class TopologyGenerator {
    /** cores, memoryMib, nicGbps of the server shapes drawn from when heterogeneous. */
    private static final long[][] SHAPES = {{16, 65_536, 10}, {32, 262_144, 25}, {64, 524_288, 50}};
    public static final int MAX_HOSTS = 1_000_000;

    private TopologyGenerator() {
    }

    public record Spec(int pods, int racksPerPod, int hostsPerRack, long seed, boolean heterogeneous,
                       double uplinkGbps, String datacenter) {
        public Spec {
            check("pods", pods, 1, 10_000);
            check("racks-per-pod", racksPerPod, 1, 10_000);
            check("hosts-per-rack", hostsPerRack, 1, 10_000);
            long total = (long) pods * racksPerPod * hostsPerRack;
            if (total > MAX_HOSTS) {
                throw new ShadowVmException("topology of " + total + " hosts is too large (expected: at most " + MAX_HOSTS + ")");
            }
            if (!(uplinkGbps > 0)) {
                throw new ShadowVmException("uplink-gbps: " + uplinkGbps + " (expected: > 0)");
            }
        }

        private static void check(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new ShadowVmException(name + ": " + v + " (expected: " + min + ".." + max + ")");
            }
        }
    }

    public static Topology generate(Spec spec) {
        SplittableRandom rnd = new SplittableRandom(spec.seed());
        List<Pod> pods = new ArrayList<>();
        List<Rack> racks = new ArrayList<>();
        List<Host> hosts = new ArrayList<>();
        for (int p = 0; p < spec.pods(); p++) {
            String podName = "p" + (p + 1);
            List<Integer> podRacks = new ArrayList<>();
            for (int r = 0; r < spec.racksPerPod(); r++) {
                String rackName = podName + "r" + (r + 1);
                int rackIndex = racks.size();
                List<Integer> rackHosts = new ArrayList<>();
                for (int h = 0; h < spec.hostsPerRack(); h++) {
                    long[] shape = spec.heterogeneous() ? SHAPES[rnd.nextInt(SHAPES.length)] : SHAPES[1];
                    rackHosts.add(hosts.size());
                    hosts.add(new Host(hosts.size(), rackName + "h" + (h + 1), rackIndex, p, (int) shape[0], shape[1],
                        shape[2], 0));
                }
                String power = podName + "-pdu-" + (char) ('a' + (r % 2));
                racks.add(new Rack(rackIndex, rackName, p, spec.uplinkGbps(), 0, power, rackHosts));
                podRacks.add(rackIndex);
            }
            pods.add(new Pod(p, podName, podRacks));
        }
        return new Topology(spec.datacenter(), pods, racks, hosts);
    }
}
