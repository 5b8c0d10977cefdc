/**
 * The routing state shared by the L4 and L7 proxies: one control thread owns configured weights and outlier
 * ejection, builds a new Maglev table whenever either changes, and publishes it as an immutable
 * {@link io.shadowvm.redirect.route.Routing} snapshot that I/O threads read without locks.
 */
package io.shadowvm.redirect.route;
