package io.shadowvm.monitor.counters;

/** Receives one sample per watched interface per tick on the sampler's thread; must not block. */
public interface CounterListener {
    /**
     * @param binding     index into {@link CounterSampler#bindings()}
     * @param utilization {@code max(tx, rx) bits/s / capacity}, or NaN when the capacity is unknown
     */
    void onInterfaceSample(int binding, long epochMs, double txBps, double rxBps, double txPps, double rxPps,
                           double utilization);
}
