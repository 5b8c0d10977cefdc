/**
 * {@link io.shadowvm.agent.TelemetrySource} on shadowvm-monitor: the monitor's own telemetry batches
 * (probe RTT/loss per peer, link utilization per topology link) mapped to the controller protocol.
 */
package io.shadowvm.agent.telemetry;
