/**
 * Synthetic write workloads and the loopback replication benchmark behind {@code shadowvm sync bench} and
 * the sync benchmarks in {@code shadowvm-bench}: one source and one sink in this process over real TCP.
 */
package io.shadowvm.sync.load;
