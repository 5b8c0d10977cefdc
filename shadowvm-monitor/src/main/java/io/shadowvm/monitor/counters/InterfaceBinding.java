package io.shadowvm.monitor.counters;

/**
 * An interface the sampler watches and the topology link it carries.
 *
 * @param iface       the interface name in this namespace
 * @param link        the topology link name, or {@code null} when the interface carries none (rates only)
 * @param capacityBps the link capacity in bits/s that utilization is relative to (0 when unknown)
 */
public record InterfaceBinding(String iface, String link, double capacityBps) {
    public InterfaceBinding {
        if (!(capacityBps >= 0)) {
            throw new IllegalArgumentException("invalid capacity of " + iface + ": " + capacityBps
                + " bit/s (expected: >= 0)");
        }
    }
}
