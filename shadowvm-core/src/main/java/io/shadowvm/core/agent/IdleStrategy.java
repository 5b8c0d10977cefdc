package io.shadowvm.core.agent;

import java.util.concurrent.locks.LockSupport;

/** What a runner does between work cycles, given how much work the last cycle did. */
@FunctionalInterface
public interface IdleStrategy {
    void idle(int workCount);

    /** Spin, then yield, then park with exponential backoff from {@code minParkNs} to {@code maxParkNs}. */
    static IdleStrategy backoff(long minParkNs, long maxParkNs) {
        return new Backoff(minParkNs, maxParkNs);
    }

    /** Park for a fixed period when idle: for agents that tick on a schedule (e.g. every 10 ms). */
    static IdleStrategy sleeping(long parkNs) {
        return workCount -> {
            if (workCount == 0) {
                LockSupport.parkNanos(parkNs);
            }
        };
    }

    final class Backoff implements IdleStrategy {
        private static final int SPINS = 20;
        private static final int YIELDS = 10;
        private final long minParkNs;
        private final long maxParkNs;
        private int idleCycles;
        private long parkNs;

        Backoff(long minParkNs, long maxParkNs) {
            if (minParkNs <= 0 || maxParkNs < minParkNs) {
                throw new IllegalArgumentException(
                    "invalid park range: " + minParkNs + ".." + maxParkNs + " ns (expected: 0 < min <= max)");
            }
            this.minParkNs = minParkNs;
            this.maxParkNs = maxParkNs;
            this.parkNs = minParkNs;
        }

        @Override
        public void idle(int workCount) {
            if (workCount > 0) {
                idleCycles = 0;
                parkNs = minParkNs;
                return;
            }
            idleCycles++;
            if (idleCycles <= SPINS) {
                Thread.onSpinWait();
            } else if (idleCycles <= SPINS + YIELDS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(parkNs);
                parkNs = Math.min(parkNs << 1, maxParkNs);
            }
        }
    }
}
