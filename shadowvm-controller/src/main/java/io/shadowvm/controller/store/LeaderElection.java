package io.shadowvm.controller.store;

import java.io.IOException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;

/**
 * Curator {@link LeaderLatch} among the controllers sharing one store: exactly one has leadership at a
 * time and only it acts. {@link #isLeader()} is cheap and safe from any thread; the control loop checks it
 * every tick and reloads the store when it becomes leader.
 */
public final class LeaderElection implements AutoCloseable {
    public static final String PATH = "/leader";
    private final LeaderLatch latch;
    private final String id;

    public LeaderElection(CuratorFramework client, String controllerId) {
        this.id = controllerId;
        this.latch = new LeaderLatch(client, PATH, controllerId);
        try {
            latch.start();
        } catch (Exception e) {
            throw new StoreException("cannot join leader election at " + PATH + ": " + e.getMessage(), e);
        }
    }

    public boolean isLeader() {
        return latch.hasLeadership();
    }

    public String id() {
        return id;
    }

    /** The current leader's id, or "" when none is known. */
    public String leaderId() {
        try {
            return latch.getLeader().getId();
        } catch (Exception e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            latch.close();
        } catch (IOException | IllegalStateException e) {
            // already closed, or the connection is gone: leadership is lost either way
        }
    }
}
