package io.shadowvm.redirect.route;

import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.maglev.MaglevTable;
import java.util.List;

/**
 * One immutable routing snapshot.
 *
 * @param version     increases with every publication
 * @param backends    all backends, in index order (the table's indices)
 * @param table       built from the effective weights (configured, minus ejected backends unless in panic)
 * @param configured  the operator's weights normalized to sum to 1 (do not modify)
 * @param panic       true when ejections are ignored because too few backends are left
 */
public record Routing(long version, List<Backend> backends, MaglevTable table, double[] configured, boolean panic) {
}
