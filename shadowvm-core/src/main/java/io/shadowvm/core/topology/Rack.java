package io.shadowvm.core.topology;

import java.util.List;

/**
 * A rack: one ToR switch, one network segment, one failure domain.
 *
 * @param hosts        indexes into {@link Topology#hosts()}
 * @param power        the power domain (PDU), or {@code null} when not given
 * @param uplinkGbps   capacity of the ToR↔spine uplink
 */
public record Rack(int index, String name, int pod, double uplinkGbps, double uplinkLatencyUs, String power,
                   List<Integer> hosts) {
    public Rack {
        hosts = List.copyOf(hosts);
    }

    /** The name of the ToR↔spine link, e.g. {@code r1-spine}. */
    public String uplinkName() {
        return name + "-spine";
    }
}
