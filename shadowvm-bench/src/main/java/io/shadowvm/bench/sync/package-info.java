/**
 * Benchmarks of the State Synchronization Engine: {@link io.shadowvm.bench.sync.CodecBenchmark} (JMH: the
 * delta encoder next to a plain memory copy and LZ4 alone, run and summarised with ratios by
 * {@link io.shadowvm.bench.sync.SyncCodecBench}) and {@link io.shadowvm.bench.sync.SyncLoopbackBench}
 * (whole-process: wire reduction per write pattern, and the loopback epoch run).
 */
package io.shadowvm.bench.sync;
