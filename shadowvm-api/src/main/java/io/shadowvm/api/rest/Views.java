package io.shadowvm.api.rest;

import java.util.List;

/** The read-only views the REST API returns (JSON objects with exactly these fields). */
public final class Views {
    private Views() {
    }

    public record ErrorView(String error, String field) {
    }

    public record ShadowView(String host, String state, long ackedEpoch, long lagMs, boolean serving) {
    }

    /** A shadow with the VM it belongs to ({@code GET /api/v1/shadows}). */
    public record VmShadowView(String vm, String host, String state, long ackedEpoch, long lagMs, boolean serving) {
    }

    /** The answer to {@code POST /api/v1/vms} and {@code DELETE /api/v1/vms/{name}}. */
    public record VmAccepted(String name, String primaryHost, String status) {
    }

    public record VmView(String name, String state, String primaryHost, long generation, long primaryEpoch,
                         int vcpus, long memoryMib, String mode, int wantedShadows, List<ShadowView> shadows) {
        public VmView {
            shadows = List.copyOf(shadows);
        }
    }

    public record HostView(String name, String rack, String state, double phi, long lastHeartbeatMs,
                           long fencingEpoch, int primaries, int shadows) {
    }

    public record PredictionView(String path, double utilization, double score, long atMs) {
    }

    public record BackendWeightView(String host, double weight) {
    }

    public record WeightsView(String vm, long version, List<BackendWeightView> backends) {
        public WeightsView {
            backends = List.copyOf(backends);
        }
    }

    public record EventView(long seq, long atMs, String kind, String vm, String host, String message) {
    }

    /**
     * @param cause       "host-dead" or "vm-dead" (the guest died on a live host)
     * @param stateDigest the promoted state's digest (hex; equal to the primary's at {@code resumedEpoch}), "" when
     *                    the guest kind has none
     */
    public record FailoverView(String vm, String deadHost, String promotedHost, long rtoMs, long rpoEpochs,
                               long atMs, String cause, long resumedEpoch, long detectionMs, long promotionMs,
                               String stateDigest) {
    }

    public record StatusView(String controllerId, boolean leader, String leaderId, long tick, int hosts,
                             int hostsAlive, int vms, int vmsRunning, int shadows, int shadowsInSync,
                             List<String> components, List<FailoverView> failovers) {
        public StatusView {
            components = List.copyOf(components);
            failovers = List.copyOf(failovers);
        }
    }

    public record LinkView(String name, String kind, double capacityGbps) {
    }

    public record RackView(String name, String pod, List<String> hosts) {
        public RackView {
            hosts = List.copyOf(hosts);
        }
    }

    public record TopologyView(String datacenter, List<RackView> racks, List<LinkView> links) {
        public TopologyView {
            racks = List.copyOf(racks);
            links = List.copyOf(links);
        }
    }
}
