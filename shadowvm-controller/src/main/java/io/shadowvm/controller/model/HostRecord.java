package io.shadowvm.controller.model;

/** A registered host (observed state, persisted): what its agent told the controller at registration. */
public record HostRecord(String name, String agentId, String dataAddress, int cores, long memoryMib,
                         long registeredAtMs) {
}
