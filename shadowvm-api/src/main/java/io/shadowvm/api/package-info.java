/**
 * What the agent and the controller share, and nothing else: the gRPC protocol ({@code proto}, generated
 * from {@code src/main/proto/shadowvm/agent_control.proto}) and the REST DTOs with their strict JSON
 * mapper ({@code rest}). Depends on core only; never on the modules either side uses to do its work.
 */
package io.shadowvm.api;
