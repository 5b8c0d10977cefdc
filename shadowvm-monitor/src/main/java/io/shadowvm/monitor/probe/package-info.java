/**
 * The probe mesh: {@link io.shadowvm.monitor.probe.ProbeResponder} answers TCP and UDP probes,
 * {@link io.shadowvm.monitor.probe.Prober} sends them to the peers of a {@link
 * io.shadowvm.monitor.probe.ProbePlan} computed from the topology. Both are non-blocking NIO agents driven
 * by {@code doWork()}; a probe reuses preallocated buffers and reports through the primitive
 * {@link io.shadowvm.monitor.probe.ProbeListener}. The frame layout is in {@link
 * io.shadowvm.monitor.probe.ProbeFrame}.
 */
package io.shadowvm.monitor.probe;
