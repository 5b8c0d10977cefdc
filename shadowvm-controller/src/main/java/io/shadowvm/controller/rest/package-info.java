/**
 * The REST API under {@code /api/v1} (Javalin 7, JSON through the strict {@code ApiJson} mapper: unknown
 * fields and unknown query parameters are a 400 naming them) and {@code /metrics} (Prometheus). Handlers
 * read the loop's published snapshot; writes become loop inbox requests answered through a future.
 */
package io.shadowvm.controller.rest;
