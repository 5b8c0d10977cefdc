package io.shadowvm.monitor.probe;

import java.util.ArrayList;
import java.util.List;

/** Collects probe outcomes (test helper; allocates, which production listeners must not). */
final class RecordingListener implements ProbeListener {
    record Event(int peer, ProbeMetric metric, long epochMs, double valueMs, boolean lost) {
    }

    final List<Event> events = new ArrayList<>();

    @Override
    public void onSample(int peer, ProbeMetric metric, long epochMs, double valueMs) {
        events.add(new Event(peer, metric, epochMs, valueMs, false));
    }

    @Override
    public void onLoss(int peer, ProbeMetric metric, long epochMs) {
        events.add(new Event(peer, metric, epochMs, Double.NaN, true));
    }

    long samples(int peer, ProbeMetric metric) {
        return events.stream().filter(e -> e.peer() == peer && e.metric() == metric && !e.lost()).count();
    }

    long losses(int peer, ProbeMetric metric) {
        return events.stream().filter(e -> e.peer() == peer && e.metric() == metric && e.lost()).count();
    }

    long losses(int peer) {
        return events.stream().filter(e -> e.peer() == peer && e.lost()).count();
    }
}
