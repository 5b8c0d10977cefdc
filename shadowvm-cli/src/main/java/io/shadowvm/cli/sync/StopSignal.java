package io.shadowvm.cli.sync;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM and SIGINT as a latch, so a command can finish its work (the epoch in flight, its ack, the final
 * JSON) and exit 0 instead of dying in a shutdown hook.
 */
final class StopSignal {
    private final CountDownLatch stop = new CountDownLatch(1);

    @SuppressWarnings("removal")
    StopSignal install() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.countDown());
            } catch (IllegalArgumentException e) {
                // the signal is not available on this platform: nothing to handle
            }
        }
        return this;
    }

    boolean stopped() {
        return stop.getCount() == 0;
    }

    boolean await(long ms) throws InterruptedException {
        return stop.await(ms, TimeUnit.MILLISECONDS);
    }

    void await() throws InterruptedException {
        stop.await();
    }
}
