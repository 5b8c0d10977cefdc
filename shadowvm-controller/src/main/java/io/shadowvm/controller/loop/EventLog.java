package io.shadowvm.controller.loop;

import io.shadowvm.api.rest.Views.EventView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The controller's timeline (placements, state changes, predictions crossing thresholds, failovers): a
 * bounded ring written by the loop, read by the REST API and the demo. Events are rare, so a lock is fine.
 */
public final class EventLog {
    private final int capacity;
    private final ArrayDeque<EventView> ring;
    private final List<Consumer<EventView>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long seq;

    public EventLog(int capacity) {
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    public void add(long atMs, String kind, String vm, String host, String message) {
        EventView e;
        synchronized (this) {
            e = new EventView(++seq, atMs, kind, vm, host, message);
            if (ring.size() == capacity) {
                ring.removeFirst();
            }
            ring.addLast(e);
        }
        for (Consumer<EventView> l : listeners) {
            l.accept(e);
        }
    }

    /** Events with a sequence number above {@code afterSeq}, oldest first, at most {@code limit}. */
    public synchronized List<EventView> since(long afterSeq, int limit) {
        List<EventView> out = new ArrayList<>();
        for (EventView e : ring) {
            if (e.seq() > afterSeq) {
                out.add(e);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    /** Called on the writer's thread for every new event (the demo prints its timeline this way). */
    public void listen(Consumer<EventView> listener) {
        listeners.add(listener);
    }
}
