/**
 * Benchmarks of the Predictive Congestion Algorithm: GRU training time, online inference latency and throughput
 * ({@code PredictBenchmark}); the controller's default scorer per tick, shipped model against persistence
 * ({@code ScorerTickBenchmark}).
 */
package io.shadowvm.bench.predict;
