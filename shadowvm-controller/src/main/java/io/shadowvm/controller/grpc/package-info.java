/**
 * The agents' side door: {@link io.shadowvm.controller.grpc.AgentGateway} serves the
 * {@code shadowvm.v1.AgentControl/Connect} stream, turns agent messages into loop inbox records and
 * delivers the loop's actions as protobuf commands ({@link io.shadowvm.controller.grpc.Commands}).
 */
package io.shadowvm.controller.grpc;
