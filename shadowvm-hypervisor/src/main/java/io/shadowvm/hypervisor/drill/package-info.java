/**
 * Failover drills: boot a guest, shadow it epoch by epoch, SIGKILL the primary, promote the shadow (in another
 * network namespace when root) and check that the guest continued from the last acknowledged epoch. Used by the
 * CLI ({@code shadowvm vm drill}), the tests and the benchmark.
 */
package io.shadowvm.hypervisor.drill;
