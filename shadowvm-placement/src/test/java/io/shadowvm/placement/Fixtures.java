package io.shadowvm.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyLoader;
import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Small topologies and VMs for placement tests, and an independent check of every hard constraint. */
final class Fixtures {
    private Fixtures() {
    }

    /**
     * Racks r1..rN (global numbering) in pods p1..pP, hosts h1..hM, every host the same size; racks alternate
     * between power domains pdu-a and pdu-b.
     */
    static Topology uniform(int pods, int racksPerPod, int hostsPerRack, int cores, long memoryMib, double nicGbps,
                            double uplinkGbps) {
        StringBuilder sb = new StringBuilder("datacenter: test\npods:\n");
        int rack = 0;
        int host = 0;
        for (int p = 1; p <= pods; p++) {
            sb.append("  - name: p").append(p).append("\n    racks:\n");
            for (int r = 0; r < racksPerPod; r++) {
                rack++;
                sb.append("      - name: r").append(rack).append('\n')
                    .append("        uplinkGbps: ").append(uplinkGbps).append('\n')
                    .append("        power: pdu-").append(rack % 2 == 1 ? 'a' : 'b').append('\n')
                    .append("        hosts:\n");
                for (int h = 0; h < hostsPerRack; h++) {
                    host++;
                    sb.append("          - {name: h").append(host).append(", cores: ").append(cores)
                        .append(", memoryMib: ").append(memoryMib).append(", nicGbps: ").append(nicGbps).append("}\n");
                }
            }
        }
        return TopologyLoader.parse(sb.toString(), "test.yaml");
    }

    static Topology uniform(int pods, int racksPerPod, int hostsPerRack) {
        return uniform(pods, racksPerPod, hostsPerRack, 32, 262_144, 25, 40);
    }

    static VmSpec vm(String name, int vcpus, long memoryMib, double networkMbps, int shadows, ShadowMode mode,
                     FailureDomain... avoid) {
        Set<FailureDomain> a = EnumSet.of(FailureDomain.RACK);
        a.addAll(List.of(avoid));
        return new VmSpec(name, vcpus, memoryMib, networkMbps,
            new ShadowPolicy(shadows, mode, a, 1000, 2000, false, false), List.of());
    }

    static VmSpec vm(String name, int shadows) {
        return vm(name, 4, 8192, 100, shadows, ShadowMode.STANDBY);
    }

    static VmSpec partial(VmSpec vm) {
        ShadowPolicy p = vm.policy();
        return new VmSpec(vm.name(), vm.vcpus(), vm.memoryMib(), vm.networkMbps(),
            new ShadowPolicy(p.shadows(), p.mode(), p.avoid(), p.maxLagMs(), p.stalenessMs(), true, p.outputCommit()),
            vm.communicatesWith());
    }

    static VmSpec talking(VmSpec vm, String... partners) {
        return new VmSpec(vm.name(), vm.vcpus(), vm.memoryMib(), vm.networkMbps(), vm.policy(), List.of(partners));
    }

    /** Recomputes every host's use from the placements alone and checks capacity and separation. */
    static void assertHardConstraintsHold(ClusterState s) {
        Topology t = s.topology();
        int n = t.hosts().size();
        long[] cores = new long[n];
        long[] mem = new long[n];
        double[] nic = new double[n];
        for (Placement p : s.placements()) {
            VmSpec vm = p.vm();
            List<Integer> roles = new java.util.ArrayList<>();
            if (p.primaryIndex() >= 0) {
                cores[p.primaryIndex()] += vm.vcpus();
                mem[p.primaryIndex()] += vm.memoryMib();
                nic[p.primaryIndex()] += vm.networkMbps();
                roles.add(p.primaryIndex());
            }
            for (int i = 0; i < p.shadows().size(); i++) {
                int h = p.shadowIndex(i);
                cores[h] += vm.shadowVcpus();
                mem[h] += vm.memoryMib();
                nic[h] += vm.networkMbps() * s.syncFactor();
                roles.add(h);
            }
            assertThat(p.shadows().size()).as(vm.name() + " shadows")
                .isLessThanOrEqualTo(vm.policy().shadows());
            if (!vm.policy().allowPartial() && s.aliveHosts().length == n) {
                // without host failures, a VM that does not allow partial placement has all its shadows
                assertThat(p.shadows()).as(vm.name() + " shadows").hasSize(vm.policy().shadows());
            }
            Set<Integer> racks = new HashSet<>();
            Set<Integer> pods = new HashSet<>();
            Set<String> powers = new HashSet<>();
            for (int h : roles) {
                Host host = t.host(h);
                assertThat(s.isAlive(h)).as(vm.name() + " on live host").isTrue();
                assertThat(racks.add(host.rack())).as(vm.name() + " roles on distinct racks").isTrue();
                if (vm.policy().avoids(FailureDomain.POD)) {
                    assertThat(pods.add(host.pod())).as(vm.name() + " roles on distinct pods").isTrue();
                }
                if (vm.policy().avoids(FailureDomain.POWER)) {
                    assertThat(powers.add(t.powerOf(host))).as(vm.name() + " roles on distinct power").isTrue();
                }
            }
        }
        for (Host h : t.hosts()) {
            int i = h.index();
            assertThat(cores[i]).as(h.name() + " cores").isLessThanOrEqualTo(h.cores());
            assertThat(mem[i]).as(h.name() + " memory").isLessThanOrEqualTo(h.memoryMib());
            assertThat(nic[i]).as(h.name() + " nic").isLessThanOrEqualTo(h.nicGbps() * 1000 + 1e-6);
            if (s.isAlive(i)) {
                assertThat(s.freeCores(i)).as(h.name() + " free cores").isEqualTo(h.cores() - cores[i]);
                assertThat(s.freeMemoryMib(i)).as(h.name() + " free memory").isEqualTo(h.memoryMib() - mem[i]);
                assertThat(s.freeNicMbps(i)).as(h.name() + " free nic").isCloseTo(h.nicGbps() * 1000 - nic[i],
                    org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }
}
