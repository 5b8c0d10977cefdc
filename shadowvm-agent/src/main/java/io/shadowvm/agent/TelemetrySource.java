package io.shadowvm.agent;

import io.shadowvm.api.proto.TelemetryBatch;

/** The agent's port to the network monitor: adds link and probe samples to an outgoing batch. */
@FunctionalInterface
public interface TelemetrySource {
    /** Appends the samples gathered since the last call. Called on the agent's thread. */
    void collect(TelemetryBatch.Builder batch, long nowMs);

    TelemetrySource NONE = (batch, nowMs) -> {
    };
}
