package io.shadowvm.core.topology;

/**
 * A physical host. {@code index} is its position in {@link Topology#hosts()}, used by array-based
 * algorithms; {@code rack} and {@code pod} are indexes too.
 *
 * @param linkLatencyUs one-way latency of the host's link to its ToR, in microseconds
 */
public record Host(int index, String name, int rack, int pod, int cores, long memoryMib, double nicGbps,
                   double linkLatencyUs) {
    /** The name of the host↔ToR link, e.g. {@code h1-r1}. */
    public String linkName(Topology topology) {
        return name + "-" + topology.racks().get(rack).name();
    }
}
