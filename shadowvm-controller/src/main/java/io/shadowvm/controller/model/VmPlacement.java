package io.shadowvm.controller.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where a VM runs (observed state, persisted in the cluster store).
 *
 * @param generation    the VM's fencing generation: raised on every promotion; instances of an older
 *                      generation must not serve
 * @param primaryEpoch  the newest epoch the primary reported shipping
 * @param weightsVersion the version of the last weight table pushed for this VM
 */
public record VmPlacement(String vm, VmPhase phase, String primaryHost, long generation, long primaryEpoch,
                          String serviceAddress, List<ShadowReplica> shadows, long weightsVersion) {
    public VmPlacement {
        shadows = List.copyOf(shadows);
    }

    public VmPlacement withPhase(VmPhase p) {
        return new VmPlacement(vm, p, primaryHost, generation, primaryEpoch, serviceAddress, shadows, weightsVersion);
    }

    public VmPlacement withPrimary(String host, long gen, long epoch, String address) {
        return new VmPlacement(vm, phase, host, gen, epoch, address, shadows, weightsVersion);
    }

    public VmPlacement withPrimaryEpoch(long epoch, String address) {
        return new VmPlacement(vm, phase, primaryHost, generation, Math.max(primaryEpoch, epoch),
            address == null || address.isEmpty() ? serviceAddress : address, shadows, weightsVersion);
    }

    public VmPlacement withShadows(List<ShadowReplica> s) {
        return new VmPlacement(vm, phase, primaryHost, generation, primaryEpoch, serviceAddress, s, weightsVersion);
    }

    public VmPlacement withWeightsVersion(long v) {
        return new VmPlacement(vm, phase, primaryHost, generation, primaryEpoch, serviceAddress, shadows, v);
    }

    /** This placement with the shadow on {@code host} replaced by {@code f(shadow)}; unchanged when none is there. */
    public VmPlacement mapShadow(String host, UnaryOperator<ShadowReplica> f) {
        List<ShadowReplica> next = new ArrayList<>(shadows.size());
        boolean changed = false;
        for (ShadowReplica s : shadows) {
            if (s.host().equals(host)) {
                ShadowReplica n = f.apply(s);
                changed |= !n.equals(s);
                next.add(n);
            } else {
                next.add(s);
            }
        }
        return changed ? withShadows(next) : this;
    }

    public ShadowReplica shadowOn(String host) {
        for (ShadowReplica s : shadows) {
            if (s.host().equals(host)) {
                return s;
            }
        }
        return null;
    }

    /** Shadows that count toward the policy (syncing, in sync or lagging). */
    public int countedShadows() {
        int n = 0;
        for (ShadowReplica s : shadows) {
            if (s.state().counted()) {
                n++;
            }
        }
        return n;
    }
}
