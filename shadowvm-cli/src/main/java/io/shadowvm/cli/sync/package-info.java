/**
 * {@code shadowvm sync}: run a sync sink or source by hand, and the loopback replication benchmark. The
 * engine itself is {@code io.shadowvm.sync}; these classes only parse options and print results.
 */
package io.shadowvm.cli.sync;
