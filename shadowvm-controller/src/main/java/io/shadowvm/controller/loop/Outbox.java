package io.shadowvm.controller.loop;

import io.shadowvm.controller.command.AgentAction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Commands sent and not yet answered. {@link #send} is idempotent per id: an action already pending or
 * already completed is not sent again; an unanswered one is re-sent (same id) after {@code resendAfterMs}
 * or when its host reconnects. Owned by the loop's thread.
 */
final class Outbox {
    record Pending(AgentAction action, long sentAtMs, int attempts) {
    }

    private final AgentLink link;
    private final ToLongFunction<String> fencingEpoch;
    private final long resendAfterMs;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Set<String> completed = new HashSet<>();

    Outbox(AgentLink link, ToLongFunction<String> fencingEpoch, long resendAfterMs) {
        this.link = link;
        this.fencingEpoch = fencingEpoch;
        this.resendAfterMs = resendAfterMs;
    }

    /** Sends unless pending or completed; returns whether it was handed to a session now. */
    boolean send(AgentAction action, long nowMs) {
        if (pending.containsKey(action.id()) || completed.contains(action.id())) {
            return false;
        }
        boolean delivered = link.deliver(action, fencingEpoch.applyAsLong(action.host()));
        pending.put(action.id(), new Pending(action, nowMs, 1));
        return delivered;
    }

    /** Sends even if it completed before (weights tables, fences of a returning host). */
    boolean sendAgain(AgentAction action, long nowMs) {
        completed.remove(action.id());
        pending.remove(action.id());
        return send(action, nowMs);
    }

    Pending complete(String id) {
        Pending p = pending.remove(id);
        if (p != null) {
            completed.add(id);
        }
        return p;
    }

    boolean isPending(String id) {
        return pending.containsKey(id);
    }

    boolean isDone(String id) {
        return completed.contains(id);
    }

    /** Forgets that {@code id} completed, so a later {@link #send} delivers it again. */
    void forget(String id) {
        completed.remove(id);
        pending.remove(id);
    }

    /** Re-sends every pending action older than the resend interval whose host is in {@code connected}. */
    int resendOverdue(long nowMs, Set<String> connected) {
        int n = 0;
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (nowMs - p.sentAtMs() >= resendAfterMs && connected.contains(p.action().host())) {
                link.deliver(p.action(), fencingEpoch.applyAsLong(p.action().host()));
                e.setValue(new Pending(p.action(), nowMs, p.attempts() + 1));
                n++;
            }
        }
        return n;
    }

    /** Re-sends everything pending for a host that just (re)connected. */
    void resendAllFor(String host, long nowMs) {
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (p.action().host().equals(host)) {
                link.deliver(p.action(), fencingEpoch.applyAsLong(host));
                e.setValue(new Pending(p.action(), nowMs, p.attempts() + 1));
            }
        }
    }

    /** Drops everything pending for a dead host (a returning agent is reconciled from scratch). */
    List<AgentAction> dropFor(String host) {
        List<AgentAction> dropped = new ArrayList<>();
        pending.values().removeIf(p -> {
            if (p.action().host().equals(host)) {
                dropped.add(p.action());
                return true;
            }
            return false;
        });
        return dropped;
    }

    int pendingCount() {
        return pending.size();
    }
}
