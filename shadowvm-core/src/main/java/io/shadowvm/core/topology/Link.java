package io.shadowvm.core.topology;

/**
 * A link of the leaf-spine fabric. Host links are named {@code <host>-<rack>}, rack uplinks
 * {@code <rack>-spine}; the monitor, the testbed and the predictor use the same names.
 */
public record Link(int index, String name, Kind kind, double capacityGbps, double latencyUs) {
    public enum Kind { HOST, UPLINK }
}
