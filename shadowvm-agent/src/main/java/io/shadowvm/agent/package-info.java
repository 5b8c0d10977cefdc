/**
 * The per-host daemon ({@link io.shadowvm.agent.HostAgent}): registers its host with the controller,
 * heartbeats, streams telemetry, and executes the controller's commands through
 * {@link io.shadowvm.agent.CommandExecutor} — idempotent per command id, refusing anything stamped with
 * a fencing epoch older than the highest it has seen, and never again serving a VM generation it was
 * told was fenced. Its ports to the components that do the work: {@link io.shadowvm.agent.VmRuntime}
 * (VM driver + sync), {@link io.shadowvm.agent.TelemetrySource} (monitor), {@link io.shadowvm.agent.IngressPlane}
 * (redirection data plane).
 */
package io.shadowvm.agent;
