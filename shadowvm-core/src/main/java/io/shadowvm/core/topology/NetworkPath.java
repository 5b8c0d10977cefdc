package io.shadowvm.core.topology;

import java.util.List;

/**
 * The links a packet crosses between two hosts in the leaf-spine fabric: the source host link, the source
 * rack uplink and the destination rack uplink (when the racks differ), and the destination host link.
 *
 * @param hops switch-to-switch hops: 0 same host, 2 same rack, 4 same pod, 6 across pods
 */
public record NetworkPath(int from, int to, List<Link> links, int hops) {
    public NetworkPath {
        links = List.copyOf(links);
    }

    /** The smallest capacity along the path (the bottleneck), in Gbps; infinite for a host to itself. */
    public double bottleneckGbps() {
        double min = Double.POSITIVE_INFINITY;
        for (Link l : links) {
            min = Math.min(min, l.capacityGbps());
        }
        return min;
    }

    /** One-way latency from the links' configured latencies, in microseconds. */
    public double latencyUs() {
        double sum = 0;
        for (Link l : links) {
            sum += l.latencyUs();
        }
        return sum;
    }
}
