package io.shadowvm.controller.loop;

import io.shadowvm.controller.model.HostLiveness;

/** What the loop knows about one registered host. Mutable; owned by the loop's thread. */
final class HostSession {
    final String name;
    String agentId;
    long fencingEpoch;
    String dataAddress;
    int cores;
    long memoryMib;
    boolean ingress;
    boolean connected;
    HostLiveness liveness = HostLiveness.ALIVE;

    HostSession(String name) {
        this.name = name;
    }

    boolean usable() {
        return connected && liveness == HostLiveness.ALIVE;
    }
}
