package io.shadowvm.agent;

import java.util.List;

/**
 * The agent's port to the VM driver and the sync engine. Called on one thread only (the agent's VM worker,
 * so that a guest that takes a second to start never delays a heartbeat). Every method
 * is idempotent for the same arguments (the agent may repeat a command after a reconnect) and reports a
 * user-facing failure as a {@code ShadowVmException} whose message becomes the command's outcome.
 */
public interface VmRuntime extends AutoCloseable {
    /** Starts the primary instance of {@code vm}; returns its service address (host:port). */
    String startPrimary(String vm, int vcpus, long memoryMib, long generation, String guestKind);

    /**
     * Opens a sync sink for a shadow of {@code vm} on this host; returns the sink's address (host:port).
     *
     * @param guestKind what the primary runs ("process", "qemu"; empty means "process")
     * @param memoryMib the guest's RAM (a qemu shadow sizes its replica with it before the first epoch)
     */
    String openShadow(String vm, long generation, boolean serving, String guestKind, long memoryMib);

    /** Starts shipping the local primary's epochs to the shadow whose sink listens at {@code sinkAddress}. */
    void startReplication(String vm, long generation, String shadowHost, String sinkAddress);

    /** Promotes the local shadow of {@code vm} to primary of {@code generation}. */
    Promotion promote(String vm, long generation);

    /** Stops every local instance of {@code vm} whose generation is at most {@code generation}. */
    void stop(String vm, long generation);

    /**
     * Periodic work (checkpoint epochs that are due, start serving instances); called on the runtime's own
     * thread, never the one that heartbeats.
     */
    default int doWork() {
        return 0;
    }

    /** What runs here now. */
    List<Instance> instances();

    /** Which implementation this is. */
    String describe();

    @Override
    void close();

    /**
     * The promoted instance resumed from {@code epoch} and serves at {@code serviceAddress}.
     *
     * @param stateDigest digest of the state it started from (see {@link Instance}); 0 = not computed
     */
    record Promotion(long epoch, String serviceAddress, long stateDigest) {
        public Promotion(long epoch, String serviceAddress) {
            this(epoch, serviceAddress, 0);
        }
    }

    /**
     * One local instance.
     *
     * @param epoch primary: last epoch shipped; shadow: last epoch acknowledged (applied whole)
     * @param state       for display, except {@link #DEAD}: the instance's guest exited (the controller fails
     *                    the VM over when a primary reports it)
     * @param stateDigest XXH64 over the page hashes of the state at {@code digestEpoch} (shadowvm-sync's region
     *                    digest): primary, taken at its newest checkpoint; shadow, the primary's digest of the
     *                    acknowledged epoch; 0 = not computed
     */
    record Instance(String vm, boolean primary, long generation, long epoch, long lagMs, boolean serving,
                    String serviceAddress, String syncAddress, String state, long stateDigest, long digestEpoch) {
        /** The state name of an instance whose guest is gone. */
        public static final String DEAD = "dead";

        public Instance(String vm, boolean primary, long generation, long epoch, long lagMs, boolean serving,
                        String serviceAddress, String syncAddress, String state) {
            this(vm, primary, generation, epoch, lagMs, serving, serviceAddress, syncAddress, state, 0, 0);
        }
    }
}
