/**
 * Benchmarks of the VM drivers: per-epoch pause of real QEMU guests and its parts, device-state size, wire bytes
 * per epoch (idle and memory-dirtying guests), promotion time, and output-commit latency, each next to a full RAM
 * copy per checkpoint (the baseline) measured in the same run.
 */
package io.shadowvm.bench.hypervisor;
