package io.shadowvm.core.agent;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs one {@link Agent} on its own thread until {@link #close()}: {@code onStart}, then {@code doWork} and
 * the idle strategy in a loop, then {@code onClose}. An exception from {@code doWork} goes to the error
 * handler and is counted; the loop continues (a failing agent must not silently stop).
 */
public final class AgentRunner implements AutoCloseable {
    private final Agent agent;
    private final IdleStrategy idle;
    private final Consumer<Throwable> errorHandler;
    private final AtomicLong errors = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean running = true; // written by close(), read by the runner thread only
    private Thread thread;

    public AgentRunner(Agent agent, IdleStrategy idle, Consumer<Throwable> errorHandler) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.idle = Objects.requireNonNull(idle, "idle");
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
    }

    /** Starts the agent on a new daemon thread named after its role. */
    public AgentRunner start() {
        if (thread != null) {
            throw new IllegalStateException("runner for " + agent.roleName() + " already started");
        }
        thread = new Thread(this::run, "shadowvm-" + agent.roleName());
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run() {
        try {
            agent.onStart();
            while (running) {
                int work;
                try {
                    work = agent.doWork();
                } catch (InterruptedException e) {
                    break;
                } catch (Throwable t) {
                    errors.incrementAndGet();
                    errorHandler.accept(t);
                    work = 0;
                }
                idle.idle(work);
            }
        } finally {
            try {
                agent.onClose();
            } finally {
                done.countDown();
            }
        }
    }

    public long errorCount() {
        return errors.get();
    }

    public boolean isRunning() {
        return done.getCount() > 0 && thread != null;
    }

    /** Stops the loop and waits up to {@code timeoutMs} for {@code onClose} to finish. */
    public boolean close(long timeoutMs) throws InterruptedException {
        running = false;
        if (thread == null) {
            return true;
        }
        java.util.concurrent.locks.LockSupport.unpark(thread);
        return done.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            if (!close(10_000)) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
