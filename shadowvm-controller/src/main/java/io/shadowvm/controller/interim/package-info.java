/**
 * Small, honest stand-ins behind the loop's ports for components whose modules were not ready when the
 * controller was written: a rack-aware greedy placer, an EWMA-trend congestion scorer and the seed's
 * weight rule. Each says what it is in {@code describe()}, which the controller reports at start and in
 * {@code /api/v1/status}; the adapters to the real modules live in {@code io.shadowvm.controller.wiring}.
 */
package io.shadowvm.controller.interim;
