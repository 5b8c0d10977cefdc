/**
 * Benchmarks of the Network Monitoring Agent: its CPU and heap overhead probing a 1,000-host mesh
 * ({@link io.shadowvm.bench.monitor.MonitorOverheadBench}) and its RTT accuracy on loopback against a
 * tight blocking ping-pong loop and the kernel's TCP_INFO ({@link io.shadowvm.bench.monitor.ProbeAccuracyBench}).
 */
package io.shadowvm.bench.monitor;
