package io.shadowvm.controller.rest;

import io.shadowvm.api.rest.Views.FailoverView;
import io.shadowvm.api.rest.Views.LinkView;
import io.shadowvm.api.rest.Views.RackView;
import io.shadowvm.api.rest.Views.ShadowView;
import io.shadowvm.api.rest.Views.StatusView;
import io.shadowvm.api.rest.Views.TopologyView;
import io.shadowvm.api.rest.Views.VmShadowView;
import io.shadowvm.api.rest.Views.VmView;
import io.shadowvm.controller.loop.ClusterSnapshot;
import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.ShadowReplica;
import io.shadowvm.controller.model.ShadowState;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.core.topology.Link;
import io.shadowvm.core.topology.Rack;
import io.shadowvm.core.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** Snapshot → REST views. Pure. */
public final class ViewMapper {
    private ViewMapper() {
    }

    public static VmView vm(VmDesired d, VmPlacement p) {
        List<ShadowView> shadows = new ArrayList<>();
        if (p != null) {
            for (ShadowReplica s : p.shadows()) {
                shadows.add(new ShadowView(s.host(), s.state().name(), s.ackedEpoch(), s.lagMs(), s.serving()));
            }
        }
        return new VmView(d.name(), p == null ? "PENDING" : p.phase().name(), p == null ? "" : p.primaryHost(),
            p == null ? 0 : p.generation(), p == null ? 0 : p.primaryEpoch(), d.spec().vcpus(), d.spec().memoryMib(),
            d.spec().policy().mode().name().toLowerCase(Locale.ROOT), d.spec().policy().shadows(), shadows);
    }

    public static List<VmView> vms(ClusterSnapshot s) {
        List<VmView> out = new ArrayList<>();
        for (VmDesired d : new TreeMap<>(s.desired()).values()) {
            out.add(vm(d, s.placements().get(d.name())));
        }
        return out;
    }

    public static List<VmShadowView> shadows(ClusterSnapshot s) {
        List<VmShadowView> out = new ArrayList<>();
        for (VmPlacement p : new TreeMap<>(s.placements()).values()) {
            for (ShadowReplica r : p.shadows()) {
                out.add(new VmShadowView(p.vm(), r.host(), r.state().name(), r.ackedEpoch(), r.lagMs(), r.serving()));
            }
        }
        return out;
    }

    public static FailoverView failover(FailoverRecord f) {
        return new FailoverView(f.vm(), f.deadHost(), f.promotedHost(), f.rtoMs(), f.rpoEpochs(), f.completedAtMs(),
            f.cause(), f.resumedEpoch(), f.detectionMs(), f.promotionMs(),
            f.stateDigest() == 0 ? "" : String.format("0x%016x", f.stateDigest()));
    }

    public static List<FailoverView> failovers(ClusterSnapshot s) {
        return s.failovers().stream().map(ViewMapper::failover).toList();
    }

    public static StatusView status(ClusterSnapshot s, String leaderId) {
        int alive = (int) s.hosts().stream().filter(h -> h.state().equals("ALIVE")).count();
        int running = 0;
        int shadows = 0;
        int inSync = 0;
        for (VmPlacement p : s.placements().values()) {
            if (p.phase() == VmPhase.RUNNING) {
                running++;
            }
            for (ShadowReplica r : p.shadows()) {
                if (r.state().counted()) {
                    shadows++;
                }
                if (r.state() == ShadowState.IN_SYNC) {
                    inSync++;
                }
            }
        }
        return new StatusView(s.controllerId(), s.leader(), leaderId, s.tick(), s.hosts().size(), alive,
            s.desired().size(), running, shadows, inSync, s.components(), failovers(s));
    }

    public static TopologyView topology(Topology t) {
        List<RackView> racks = new ArrayList<>();
        for (Rack r : t.racks()) {
            List<String> hosts = new ArrayList<>();
            for (int h : r.hosts()) {
                hosts.add(t.host(h).name());
            }
            racks.add(new RackView(r.name(), t.pods().get(r.pod()).name(), hosts));
        }
        List<LinkView> links = new ArrayList<>();
        for (Link l : t.links()) {
            links.add(new LinkView(l.name(), l.kind().name().toLowerCase(Locale.ROOT), l.capacityGbps()));
        }
        return new TopologyView(t.datacenter(), racks, links);
    }
}
