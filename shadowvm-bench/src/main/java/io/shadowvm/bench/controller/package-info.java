/** Benchmarks of the controller: the control loop's tick cost at datacenter scale. */
package io.shadowvm.bench.controller;
