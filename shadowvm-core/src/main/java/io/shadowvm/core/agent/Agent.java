package io.shadowvm.core.agent;

/**
 * A unit of busy work driven by an {@link AgentRunner}: replication sender and receiver, probe scheduler,
 * control-loop tick. {@link #doWork()} does a bounded amount of work and returns how much it did, so the
 * runner can idle when nothing happened. An agent owns its state; other threads talk to it via queues.
 */
public interface Agent {
    /** Called once on the runner thread before the first {@link #doWork()}. */
    default void onStart() {
    }

    /**
     * Does one bounded slice of work.
     *
     * @return the amount of work done; 0 lets the runner idle
     * @throws Exception anything unexpected; the runner reports it and keeps going
     */
    int doWork() throws Exception;

    /** Called once on the runner thread after the last {@link #doWork()}. */
    default void onClose() {
    }

    /** A short name for threads, logs and metrics. */
    String roleName();
}
