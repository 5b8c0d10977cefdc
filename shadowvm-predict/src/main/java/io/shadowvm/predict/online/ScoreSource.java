package io.shadowvm.predict.online;

/** Where a path's score came from this tick. */
public enum ScoreSource {
    /** The recurrent model. */
    MODEL,
    /** Fallback: fewer clean samples than the model's window needs. */
    FALLBACK_SHORT_HISTORY,
    /** Fallback: a missing sample (NaN) inside the model's window. */
    FALLBACK_GAPPY_HISTORY,
    /** Fallback for every path: the network could not be loaded here (e.g. no PyTorch native library). */
    FALLBACK_NO_ENGINE,
    /** No sample yet: probability 0, forecast NaN. */
    NO_DATA
}
