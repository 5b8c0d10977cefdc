package io.shadowvm.core.topology;

import io.shadowvm.core.ShadowVmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable datacenter: pods → racks (ToR switches) → hosts, plus the links of a two-tier leaf-spine
 * fabric. Hosts, racks and pods are addressed by index for speed and by name for people; names are unique
 * within their kind. Build one with {@link TopologyLoader} or {@link TopologyGenerator}.
 */
public final class Topology {
    private final String datacenter;
    private final List<Pod> pods;
    private final List<Rack> racks;
    private final List<Host> hosts;
    private final List<Link> links;
    private final Map<String, Integer> hostByName = new HashMap<>();
    private final Map<String, Integer> rackByName = new HashMap<>();
    private final Map<String, Link> linkByName = new HashMap<>();

    public Topology(String datacenter, List<Pod> pods, List<Rack> racks, List<Host> hosts) {
        this.datacenter = datacenter;
        this.pods = List.copyOf(pods);
        this.racks = List.copyOf(racks);
        this.hosts = List.copyOf(hosts);
        for (Host h : hosts) {
            hostByName.put(h.name(), h.index());
        }
        for (Rack r : racks) {
            rackByName.put(r.name(), r.index());
        }
        List<Link> all = new ArrayList<>(hosts.size() + racks.size());
        for (Host h : hosts) {
            all.add(new Link(all.size(), h.linkName(this), Link.Kind.HOST, h.nicGbps(), h.linkLatencyUs()));
        }
        for (Rack r : racks) {
            all.add(new Link(all.size(), r.uplinkName(), Link.Kind.UPLINK, r.uplinkGbps(), r.uplinkLatencyUs()));
        }
        this.links = List.copyOf(all);
        for (Link l : links) {
            linkByName.put(l.name(), l);
        }
    }

    public String datacenter() {
        return datacenter;
    }

    public List<Pod> pods() {
        return pods;
    }

    public List<Rack> racks() {
        return racks;
    }

    public List<Host> hosts() {
        return hosts;
    }

    public List<Link> links() {
        return links;
    }

    public Host host(int index) {
        return hosts.get(index);
    }

    /** The host with this name; a {@link ShadowVmException} naming it when there is none. */
    public Host host(String name) {
        Integer i = hostByName.get(name);
        if (i == null) {
            throw new ShadowVmException("no host named '" + name + "' in datacenter " + datacenter
                + " (" + hosts.size() + " hosts)");
        }
        return hosts.get(i);
    }

    public boolean hasHost(String name) {
        return hostByName.containsKey(name);
    }

    public Rack rack(String name) {
        Integer i = rackByName.get(name);
        if (i == null) {
            throw new ShadowVmException("no rack named '" + name + "' in datacenter " + datacenter);
        }
        return racks.get(i);
    }

    public Rack rackOf(Host host) {
        return racks.get(host.rack());
    }

    public Pod podOf(Host host) {
        return pods.get(host.pod());
    }

    /** The host's power domain: its rack's, or the rack itself when the rack names none. */
    public String powerOf(Host host) {
        Rack r = racks.get(host.rack());
        return r.power() != null ? r.power() : "rack:" + r.name();
    }

    public Link link(String name) {
        Link l = linkByName.get(name);
        if (l == null) {
            throw new ShadowVmException("no link named '" + name + "' in datacenter " + datacenter);
        }
        return l;
    }

    public Link hostLink(int host) {
        return links.get(host);
    }

    public Link uplink(int rack) {
        return links.get(hosts.size() + rack);
    }

    /** Switch-to-switch hops between two hosts: 0 same host, 2 same rack, 4 same pod, 6 across pods. */
    public int hops(int a, int b) {
        if (a == b) {
            return 0;
        }
        Host ha = hosts.get(a);
        Host hb = hosts.get(b);
        if (ha.rack() == hb.rack()) {
            return 2;
        }
        return ha.pod() == hb.pod() ? 4 : 6;
    }

    /** The links between two hosts (see {@link NetworkPath}). */
    public NetworkPath path(int a, int b) {
        if (a == b) {
            return new NetworkPath(a, b, List.of(), 0);
        }
        Host ha = hosts.get(a);
        Host hb = hosts.get(b);
        List<Link> l = new ArrayList<>(4);
        l.add(hostLink(a));
        if (ha.rack() != hb.rack()) {
            l.add(uplink(ha.rack()));
            l.add(uplink(hb.rack()));
        }
        l.add(hostLink(b));
        return new NetworkPath(a, b, l, hops(a, b));
    }

    public long totalCores() {
        long s = 0;
        for (Host h : hosts) {
            s += h.cores();
        }
        return s;
    }

    public long totalMemoryMib() {
        long s = 0;
        for (Host h : hosts) {
            s += h.memoryMib();
        }
        return s;
    }

    @Override
    public String toString() {
        return "Topology[" + datacenter + ": " + pods.size() + " pods, " + racks.size() + " racks, "
            + hosts.size() + " hosts]";
    }
}
