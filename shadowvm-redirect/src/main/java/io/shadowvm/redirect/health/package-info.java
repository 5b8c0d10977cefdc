/**
 * Backend health: Envoy-style outlier ejection (consecutive errors eject a backend for a time that doubles with
 * each ejection up to a cap, never more than a share of backends ejected, panic routing when too few remain),
 * fed by passive connect results and active TCP health checks.
 */
package io.shadowvm.redirect.health;
