/**
 * The shadow side: {@link io.shadowvm.sync.sink.ReplicaStore} keeps the replica file, stages each epoch in a
 * redo journal and applies it atomically (a crash or disconnect before the journal's commit record leaves
 * the previous epoch intact; a crash after it is rolled forward on the next open);
 * {@link io.shadowvm.sync.sink.SinkSessionHandler} runs the protocol for one source connection on its Netty
 * event loop (the single owner of the store while connected).
 */
package io.shadowvm.sync.sink;
