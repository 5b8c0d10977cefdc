/**
 * REST DTOs of {@code /api/v1} as records, and {@link io.shadowvm.api.rest.ApiJson}, the one JSON mapper
 * both the controller and the CLI use: unknown fields are rejected with an error naming the field.
 * Requests validate themselves into core model objects ({@code VmCreateRequest#toSpec}); views are plain
 * read-only snapshots.
 */
package io.shadowvm.api.rest;
