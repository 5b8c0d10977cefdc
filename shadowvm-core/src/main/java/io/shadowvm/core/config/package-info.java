/**
 * Strict configuration loading: YAML is parsed into a location-aware tree and validated field by field, so
 * that every mistake is reported as {@code file:line:column: field: value (expected: ...)}. Unknown fields
 * are rejected. No YAML-to-object binding happens without validation.
 */
package io.shadowvm.core.config;
