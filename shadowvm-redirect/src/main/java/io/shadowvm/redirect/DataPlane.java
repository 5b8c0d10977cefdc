package io.shadowvm.redirect;

import java.util.List;
import java.util.Map;

/**
 * A data plane that applies weights to real traffic. {@link #setWeights} replaces the whole weight table at
 * once; connections (or, for L7, requests) that already started keep their backend.
 */
public interface DataPlane extends AutoCloseable {
    List<Backend> backends();

    /** Validates and applies new relative weights; backends not named get 0. Returns once they are in force. */
    void setWeights(RelativeWeights weights);

    /** The configured relative weights, normalized to sum to 1, per backend name. */
    Map<String, Double> weights();

    /** Counters per backend name, in backend order. */
    Map<String, BackendStats.Snapshot> stats();

    @Override
    void close();
}
