package io.shadowvm.controller.loop;

import io.shadowvm.controller.command.AgentAction;

/** How the loop reaches agents (the gRPC gateway in production, a list in tests). */
public interface AgentLink {
    /**
     * Delivers {@code action} to the agent of its host, stamped with the host's fencing epoch; false when
     * that agent has no open session (the loop re-sends when it reconnects).
     */
    boolean deliver(AgentAction action, long fencingEpoch);

    /** Tells the session of {@code host} the controller refuses it (fenced/stale agent id); closes it. */
    default void disconnect(String host, String agentId, String reason) {
    }
}
