package io.shadowvm.controller.interim;

import io.shadowvm.controller.loop.Placer;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.VmSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Greedy placement: the primary on the usable host with the most free cores that fits; each shadow on
 * the usable host with the most free memory on a rack (and pod/power domain, if the policy avoids it)
 * used by neither the primary nor another shadow. Usage counts primaries (vCPUs, memory) and shadows
 * (memory; serving shadows also vCPUs).
 */
public final class GreedyRackAwarePlacer implements Placer {
    private final Topology topology;
    private final Map<String, Assignment> assignments = new HashMap<>();

    private record Assignment(VmSpec vm, String primary, List<String> shadows) {
    }

    public GreedyRackAwarePlacer(Topology topology) {
        this.topology = topology;
    }

    @Override
    public Choice place(VmSpec vm, Set<String> usableHosts) {
        Usage u = usage();
        Host best = null;
        for (Host h : topology.hosts()) {
            if (usableHosts.contains(h.name()) && u.fits(h, vm.vcpus(), vm.memoryMib())
                && (best == null || u.freeCores(h) > u.freeCores(best))) {
                best = h;
            }
        }
        if (best == null) {
            throw new ShadowVmException("cannot place VM " + vm.name() + ": no usable host has " + vm.vcpus()
                + " free vCPUs and " + vm.memoryMib() + " MiB free memory (" + usableHosts.size() + " usable hosts)");
        }
        List<String> shadows = new ArrayList<>();
        String reason = null;
        for (int i = 0; i < vm.policy().shadows(); i++) {
            String s = pickShadow(vm, best.name(), shadows, usableHosts, u);
            if (s == null) {
                reason = "only " + shadows.size() + " of " + vm.policy().shadows()
                    + " shadows fit on a rack apart from the primary and each other";
                if (!vm.policy().allowPartial()) {
                    throw new ShadowVmException("cannot place VM " + vm.name() + ": " + reason);
                }
                break;
            }
            shadows.add(s);
            u.add(topology.host(s), vm.shadowVcpus(), vm.memoryMib());
        }
        update(vm, best.name(), shadows);
        return new Choice(best.name(), shadows, reason);
    }

    @Override
    public String placeShadow(VmSpec vm, String primaryHost, List<String> otherShadowHosts, Set<String> usableHosts) {
        String s = pickShadow(vm, primaryHost, otherShadowHosts, usableHosts, usage());
        if (s != null) {
            List<String> all = new ArrayList<>(otherShadowHosts);
            all.add(s);
            update(vm, primaryHost, all);
        }
        return s;
    }

    private String pickShadow(VmSpec vm, String primary, List<String> others, Set<String> usable, Usage u) {
        List<Host> taken = new ArrayList<>();
        taken.add(topology.host(primary));
        for (String o : others) {
            taken.add(topology.host(o));
        }
        Host best = null;
        for (Host h : topology.hosts()) {
            if (!usable.contains(h.name()) || !u.fits(h, vm.shadowVcpus(), vm.memoryMib()) || clashes(vm, h, taken)) {
                continue;
            }
            if (best == null || u.freeMemory(h) > u.freeMemory(best)) {
                best = h;
            }
        }
        return best == null ? null : best.name();
    }

    private boolean clashes(VmSpec vm, Host h, List<Host> taken) {
        for (Host t : taken) {
            if (t.rack() == h.rack()
                || vm.policy().avoids(FailureDomain.POD) && t.pod() == h.pod()
                || vm.policy().avoids(FailureDomain.POWER) && topology.powerOf(t).equals(topology.powerOf(h))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void update(VmSpec vm, String primaryHost, List<String> shadowHosts) {
        assignments.put(vm.name(), new Assignment(vm, primaryHost, List.copyOf(shadowHosts)));
    }

    /** Forgets every role still recorded on {@code host}: its stale instances are stopped, its capacity is free. */
    @Override
    public void hostBackInService(String host) {
        topology.host(host); // a ShadowVmException naming an unknown host
        for (Map.Entry<String, Assignment> e : assignments.entrySet()) {
            Assignment a = e.getValue();
            if (a.primary().equals(host) || a.shadows().contains(host)) {
                List<String> shadows = new ArrayList<>(a.shadows());
                shadows.remove(host);
                e.setValue(new Assignment(a.vm(), a.primary().equals(host) ? "" : a.primary(), List.copyOf(shadows)));
            }
        }
    }

    @Override
    public void release(String vm) {
        assignments.remove(vm);
    }

    @Override
    public String describe() {
        return "interim greedy rack-aware placer (awaiting shadowvm-placement wiring)";
    }

    private Usage usage() {
        Usage u = new Usage();
        for (Assignment a : assignments.values()) {
            if (topology.hasHost(a.primary())) {
                u.add(topology.host(a.primary()), a.vm().vcpus(), a.vm().memoryMib());
            }
            for (String s : a.shadows()) {
                if (topology.hasHost(s)) {
                    u.add(topology.host(s), a.vm().shadowVcpus(), a.vm().memoryMib());
                }
            }
        }
        return u;
    }

    private static final class Usage {
        final Map<Integer, long[]> used = new HashMap<>();

        void add(Host h, int cores, long mem) {
            long[] u = used.computeIfAbsent(h.index(), k -> new long[2]);
            u[0] += cores;
            u[1] += mem;
        }

        long freeCores(Host h) {
            return h.cores() - used.getOrDefault(h.index(), new long[2])[0];
        }

        long freeMemory(Host h) {
            return h.memoryMib() - used.getOrDefault(h.index(), new long[2])[1];
        }

        boolean fits(Host h, int cores, long mem) {
            return freeCores(h) >= cores && freeMemory(h) >= mem;
        }
    }
}
