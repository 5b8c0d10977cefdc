/**
 * Interface counters: {@link io.shadowvm.monitor.counters.InterfaceCounters} reads
 * {@code /sys/class/net/<if>/statistics} through kept-open file descriptors (no allocation per read),
 * {@link io.shadowvm.monitor.counters.CounterSampler} turns successive readings into bits/s and the
 * utilization of the topology link an interface carries, and {@link
 * io.shadowvm.monitor.counters.PathUtilization} takes the maximum over a path's links. In switch mode an
 * agent in a ToR or spine namespace reports every interface it sees, so an uplink is measured where its
 * queue is.
 */
package io.shadowvm.monitor.counters;
