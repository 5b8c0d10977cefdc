/**
 * Failure detection: a phi-accrual detector per host over heartbeat arrival times (Hayashibara et al.,
 * 2004), and {@link io.shadowvm.controller.failure.FailureDetector}, which turns phi into ALIVE → SUSPECT →
 * DEAD. Time is always passed in by the caller (the control loop's injected clock); nothing here reads a clock.
 */
package io.shadowvm.controller.failure;
