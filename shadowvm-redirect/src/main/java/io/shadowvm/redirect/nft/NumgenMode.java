package io.shadowvm.redirect.nft;

/** How the kernel draws the number that selects a backend per new connection. */
public enum NumgenMode {
    /** {@code numgen random mod N}: independent draws; shares converge to weights (binomial noise). */
    RANDOM,
    /** {@code numgen inc mod N}: a counter over an interleaved map; any run of connections splits exactly. */
    INC
}
