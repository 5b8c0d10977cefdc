/**
 * The Network Monitoring Agent (DESIGN.md §4.3): a Pingmesh-style probe mesh ({@code probe}), interface
 * counters turned into link and path utilization ({@code counters}), per-metric time series with rollups
 * ({@code series}) and exporters for Prometheus and the controller ({@code export}). {@link
 * io.shadowvm.monitor.MonitorAgent} composes them into one {@code Agent} driven by one thread.
 */
package io.shadowvm.monitor;
