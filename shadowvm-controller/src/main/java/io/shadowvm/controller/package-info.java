/**
 * The ShadowVM controller (DESIGN.md sections 3 and 4): {@link io.shadowvm.controller.Controller} wires the
 * cluster store, the agent gateway, the control loop and the REST API. Subpackages: {@code model}
 * (immutable cluster state and lifecycles), {@code failure} (phi-accrual detection), {@code failover}
 * (the pure failover state machine), {@code store} (ZooKeeper), {@code loop} (the tick and its ports to
 * placement, prediction and redirection), {@code grpc} (agents), {@code rest} (users).
 * Never imports sync, monitor or hypervisor: their facts arrive as {@code io.shadowvm.api} messages.
 */
package io.shadowvm.controller;
