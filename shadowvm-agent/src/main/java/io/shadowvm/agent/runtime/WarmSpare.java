package io.shadowvm.agent.runtime;

import io.shadowvm.hypervisor.HypervisorException;
import io.shadowvm.hypervisor.process.ProcessGuest;
import java.nio.file.Path;

/**
 * Promotion of a process guest with or without a warm spare: a follower or standby KV guest that is already
 * running adopts the replica (about a millisecond); without one, or when adoption fails, a guest JVM is started on
 * the replica (0.3–1 s).
 */
final class WarmSpare {
    private WarmSpare() {
    }

    /** The guest now serving {@code replica}; {@code spare} (may be null) is adopted or closed. */
    static ProcessGuest adoptOrStart(ProcessGuest spare, Path replica, long stateBytes) {
        if (spare != null && spare.isAlive() && spare.canAdopt()) {
            try {
                return spare.adopt(replica);
            } catch (HypervisorException e) {
                spare.close(); // fall back to a cold start below
            }
        } else if (spare != null) {
            spare.close();
        }
        return ProcessGuest.startKv(replica, stateBytes, null);
    }
}
