package io.shadowvm.monitor.probe;

import io.shadowvm.core.agent.Agent;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Calls {@code doWork()} until a condition holds or a bounded real-time deadline passes. */
final class Drive {
    private Drive() {
    }

    static boolean until(BooleanSupplier done, long maxMs, Agent... agents) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            int work = 0;
            for (Agent a : agents) {
                work += a.doWork();
            }
            if (work == 0) {
                Thread.onSpinWait();
            }
        }
        return true;
    }
}
