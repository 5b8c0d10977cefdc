package io.shadowvm.controller.loop;

import java.util.List;
import java.util.Map;

/** The loop's port to the redirection policy. Single-threaded; keeps per-VM state (hysteresis, steps). */
public interface WeightPolicy {
    /** What the loop knows about one shadow of a VM at a tick. */
    record ShadowInput(String host, boolean serving, boolean alive, double pathScore, double lagMs,
                       double stalenessBoundMs, double rttMs, double lossRate) {
    }

    /**
     * This tick's weights of {@code vm}: host → share (the primary's host included), summing to 1.
     * {@code nowNs} is the loop's clock.
     */
    Map<String, Double> weigh(String vm, String primaryHost, double primaryScore, List<ShadowInput> shadows, long nowNs);

    /** Drops the VM's state (deleted, or its primary moved). */
    void forget(String vm);

    String describe();
}
