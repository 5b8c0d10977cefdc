package io.shadowvm.agent.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last {@link #CAPACITY} (VM epoch, state digest) pairs of one primary, newest last: what an operator or
 * a test compares a promoted replica's digest with. Written on the runtime's thread at each checkpoint, read
 * from any thread (synchronized; one write per epoch, nothing here is per page).
 */
final class StateDigestLog {
    static final int CAPACITY = 256;
    private static final StateDigestLog EMPTY = new StateDigestLog();

    /** The logs of one runtime, per VM and generation; any thread. */
    static final class Registry {
        private final Map<String, StateDigestLog> logs = new ConcurrentHashMap<>();

        StateDigestLog of(String vm, long generation) {
            return logs.computeIfAbsent(vm + "/g" + generation, k -> new StateDigestLog());
        }

        /** The log of {@code vm} generation {@code generation}, or an empty one. */
        StateDigestLog find(String vm, long generation) {
            return logs.getOrDefault(vm + "/g" + generation, EMPTY);
        }
    }
    private final long[] epochs = new long[CAPACITY];
    private final long[] digests = new long[CAPACITY];
    private int count;
    private int next;

    synchronized void record(long epoch, long digest) {
        epochs[next] = epoch;
        digests[next] = digest;
        next = (next + 1) % CAPACITY;
        count = Math.min(CAPACITY, count + 1);
    }

    /** The newest epoch recorded (0: none yet). */
    synchronized long newestEpoch() {
        return count == 0 ? 0 : epochs[Math.floorMod(next - 1, CAPACITY)];
    }

    /** The digest recorded for {@code epoch}, or 0 when it is not (or no longer) in the log. */
    synchronized long digestAt(long epoch) {
        for (int i = 0; i < count; i++) {
            int at = Math.floorMod(next - 1 - i, CAPACITY);
            if (epochs[at] == epoch) {
                return digests[at];
            }
        }
        return 0;
    }
}
