/**
 * The admin HTTP endpoint of a running data plane: {@code PUT /weights} with a JSON object of relative
 * non-negative weights, {@code GET /weights}, and {@code GET /stats} with per-backend counters. Strict input:
 * anything but an object of known backend names to non-negative numbers is a 400 that names the problem.
 */
package io.shadowvm.redirect.admin;
