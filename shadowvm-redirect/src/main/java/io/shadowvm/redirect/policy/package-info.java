/**
 * The redirection weight policy: a pure, deterministic function from (configuration, observed input,
 * previous state, time) to (weights, next state). No I/O, no clocks read here: the caller passes the time.
 * The formula is written down in {@code docs/redirection.md}.
 */
package io.shadowvm.redirect.policy;
