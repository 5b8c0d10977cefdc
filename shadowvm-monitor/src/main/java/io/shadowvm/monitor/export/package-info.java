/**
 * Getting samples out of the agent: JSON lines for people and scripts ({@link
 * io.shadowvm.monitor.export.JsonLinesSink}), Prometheus {@code /metrics} ({@link
 * io.shadowvm.monitor.export.PrometheusEndpoint}) and the compact, versioned {@link
 * io.shadowvm.monitor.export.TelemetryBatch} the controller consumes ({@link
 * io.shadowvm.monitor.export.TelemetryCodec}).
 */
package io.shadowvm.monitor.export;
