/** Benchmarks of the Predictive Congestion Algorithm: GRU training time, online inference latency and throughput. */
package io.shadowvm.bench.predict;
