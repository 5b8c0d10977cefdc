package io.shadowvm.redirect;

import java.util.concurrent.atomic.LongAdder;

/**
 * Per-backend counters, written by every I/O thread without locks or allocation. {@code connections}: connections
 * opened to the backend; {@code active}: currently open; {@code bytes}: bytes relayed in both directions;
 * {@code requests}: HTTP requests routed to it (L7 only; 0 on L4).
 */
public final class BackendStats {
    private final LongAdder connections = new LongAdder();
    private final LongAdder active = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder requests = new LongAdder();

    public void opened() {
        connections.increment();
        active.increment();
    }

    public void closed() {
        active.decrement();
    }

    public void bytes(long n) {
        bytes.add(n);
    }

    public void request() {
        requests.increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(connections.sum(), active.sum(), bytes.sum(), requests.sum());
    }

    /** A point-in-time copy, in the order of the admin endpoint's JSON. */
    public record Snapshot(long connections, long active, long bytes, long requests) {
    }
}
