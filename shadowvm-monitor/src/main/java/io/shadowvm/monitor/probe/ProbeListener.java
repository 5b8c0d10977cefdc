package io.shadowvm.monitor.probe;

/**
 * Receives probe outcomes on the prober's thread. Primitive arguments only: implementations must not
 * block and should not allocate (they run once per probe).
 */
public interface ProbeListener {
    /**
     * @param peer      the prober's index of the peer (position in its target list)
     * @param epochMs   when the outcome was observed
     * @param valueMs   the round trip (or connect time) in milliseconds
     */
    void onSample(int peer, ProbeMetric metric, long epochMs, double valueMs);

    /** A probe that timed out, was refused or whose connection broke: it counts as a loss. */
    void onLoss(int peer, ProbeMetric metric, long epochMs);

    /** Several listeners in order. */
    static ProbeListener all(ProbeListener... listeners) {
        ProbeListener[] copy = listeners.clone();
        return new ProbeListener() {
            @Override
            public void onSample(int peer, ProbeMetric metric, long epochMs, double valueMs) {
                for (ProbeListener l : copy) {
                    l.onSample(peer, metric, epochMs, valueMs);
                }
            }

            @Override
            public void onLoss(int peer, ProbeMetric metric, long epochMs) {
                for (ProbeListener l : copy) {
                    l.onLoss(peer, metric, epochMs);
                }
            }
        };
    }
}
