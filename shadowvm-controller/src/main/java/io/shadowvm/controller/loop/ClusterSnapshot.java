package io.shadowvm.controller.loop;

import io.shadowvm.api.rest.Views.HostView;
import io.shadowvm.api.rest.Views.PredictionView;
import io.shadowvm.api.rest.Views.WeightsView;
import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPlacement;
import java.util.List;
import java.util.Map;

/**
 * An immutable picture of the cluster the loop publishes after every tick, for readers on other threads
 * (REST, CLI status, the demo). Never edited; replaced whole.
 */
public record ClusterSnapshot(String controllerId, boolean leader, long tick, long atMs, List<HostView> hosts,
                              Map<String, VmDesired> desired, Map<String, VmPlacement> placements,
                              List<PredictionView> predictions, Map<String, WeightsView> weights,
                              List<FailoverRecord> failovers, List<String> components) {
    public ClusterSnapshot {
        hosts = List.copyOf(hosts);
        desired = Map.copyOf(desired);
        placements = Map.copyOf(placements);
        predictions = List.copyOf(predictions);
        weights = Map.copyOf(weights);
        failovers = List.copyOf(failovers);
        components = List.copyOf(components);
    }

    public static ClusterSnapshot empty(String controllerId) {
        return new ClusterSnapshot(controllerId, false, 0, 0, List.of(), Map.of(), Map.of(), List.of(), Map.of(),
            List.of(), List.of());
    }
}
