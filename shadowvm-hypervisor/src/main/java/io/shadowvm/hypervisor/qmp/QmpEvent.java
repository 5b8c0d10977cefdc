package io.shadowvm.hypervisor.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An asynchronous QMP event such as {@code STOP}, {@code RESUME} or {@code MIGRATION}.
 *
 * @param name the event name
 * @param data the event's {@code data} object (a missing node when absent)
 * @param timestampMicros QEMU's wall-clock timestamp in microseconds since the Unix epoch
 */
public record QmpEvent(String name, JsonNode data, long timestampMicros) {
    /** The {@code status} field of a {@code MIGRATION} event, or {@code ""}. */
    public String migrationStatus() {
        return data.path("status").asText("");
    }
}
