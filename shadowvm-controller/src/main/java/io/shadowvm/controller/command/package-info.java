/**
 * The closed set of actions the controller asks agents to perform ({@link io.shadowvm.controller.command.AgentAction}),
 * with deterministic ids: re-sending an action after a controller restart or a reconnect reuses its id,
 * and the agent answers with the outcome it recorded the first time instead of acting twice.
 */
package io.shadowvm.controller.command;
