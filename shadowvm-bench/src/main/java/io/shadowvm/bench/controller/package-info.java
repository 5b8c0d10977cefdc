/**
 * Benchmarks of the controller: the control loop's tick cost at datacenter scale
 * ({@link io.shadowvm.bench.controller.ControlLoopTickBenchmark}) and failover RTO/RPO on loopback with real agents
 * and process guests ({@link io.shadowvm.bench.controller.FailoverBenchmark}).
 */
package io.shadowvm.bench.controller;
