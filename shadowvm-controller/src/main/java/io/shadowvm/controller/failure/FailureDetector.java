package io.shadowvm.controller.failure;

import io.shadowvm.controller.model.HostLiveness;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Liveness of every registered host: ALIVE → SUSPECT (phi ≥ suspect) → DEAD (phi ≥ dead). SUSPECT returns
 * to ALIVE when heartbeats resume; DEAD is sticky: only a new registration ({@link #register}) revives a
 * host, so a late heartbeat from a host already failed over changes nothing. Owned by the control loop's
 * thread.
 */
public final class FailureDetector {
    /** A host whose liveness changed in {@link #evaluate}. */
    public record Transition(String host, HostLiveness from, HostLiveness to, double phi, long lastHeartbeatMs) {
    }

    private static final class Entry {
        final PhiAccrualDetector phi;
        HostLiveness liveness = HostLiveness.ALIVE;

        Entry(PhiConfig config) {
            this.phi = new PhiAccrualDetector(config);
        }
    }

    private final PhiConfig config;
    private final Map<String, Entry> hosts = new HashMap<>();

    public FailureDetector(PhiConfig config) {
        this.config = config;
    }

    public PhiConfig config() {
        return config;
    }

    /** A host (re)joined at {@code nowMs}: fresh detector, ALIVE. */
    public void register(String host, long nowMs) {
        Entry e = new Entry(config);
        e.phi.heartbeat(nowMs);
        hosts.put(host, e);
    }

    /** A heartbeat from {@code host} arrived at {@code nowMs}; ignored for unknown or DEAD hosts. */
    public void heartbeat(String host, long nowMs) {
        Entry e = hosts.get(host);
        if (e != null && e.liveness != HostLiveness.DEAD) {
            e.phi.heartbeat(nowMs);
        }
    }

    /**
     * The caller (the detector's own thread) did not look for {@code gapMs} up to {@code nowMs}: moves every live
     * host's last heartbeat forward by the gap (at most to {@code nowMs}), so silence nobody was watching for is
     * not evidence. The intervals already measured are kept.
     */
    public void forgive(long gapMs, long nowMs) {
        for (Entry e : hosts.values()) {
            if (e.liveness != HostLiveness.DEAD) {
                e.phi.shift(gapMs, nowMs);
            }
        }
    }

    public void remove(String host) {
        hosts.remove(host);
    }

    /** Re-evaluates every host at {@code nowMs} and returns the ones whose liveness changed. */
    public List<Transition> evaluate(long nowMs) {
        return evaluate(nowMs, h -> false);
    }

    /**
     * Re-evaluates every host at {@code nowMs}; a host for which {@code connected} holds is declared DEAD only with
     * {@link PhiConfig#connectedPauseMs()} more silence (SUSPECT is unchanged).
     */
    public List<Transition> evaluate(long nowMs, Predicate<String> connected) {
        List<Transition> changed = null;
        for (Map.Entry<String, Entry> me : hosts.entrySet()) {
            Entry e = me.getValue();
            if (e.liveness == HostLiveness.DEAD) {
                continue;
            }
            double phi = e.phi.phi(nowMs);
            boolean dead = phi >= config.deadPhi() && (config.connectedPauseMs() == 0 || !connected.test(me.getKey())
                || e.phi.phi(nowMs, config.connectedPauseMs()) >= config.deadPhi());
            HostLiveness next = dead ? HostLiveness.DEAD
                : phi >= config.suspectPhi() ? HostLiveness.SUSPECT : HostLiveness.ALIVE;
            if (next != e.liveness) {
                if (changed == null) {
                    changed = new ArrayList<>();
                }
                changed.add(new Transition(me.getKey(), e.liveness, next, phi, e.phi.lastHeartbeatMs()));
                e.liveness = next;
            }
        }
        return changed == null ? List.of() : changed;
    }

    public HostLiveness liveness(String host) {
        Entry e = hosts.get(host);
        return e == null ? HostLiveness.DEAD : e.liveness;
    }

    public double phi(String host, long nowMs) {
        Entry e = hosts.get(host);
        return e == null ? Double.POSITIVE_INFINITY : e.phi.phi(nowMs);
    }

    public long lastHeartbeatMs(String host) {
        Entry e = hosts.get(host);
        return e == null ? 0 : e.phi.lastHeartbeatMs();
    }

    public boolean knows(String host) {
        return hosts.containsKey(host);
    }
}
