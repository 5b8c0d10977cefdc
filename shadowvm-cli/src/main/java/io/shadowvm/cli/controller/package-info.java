/**
 * {@code shadowvm controller}, {@code shadowvm agent}, {@code shadowvm status} and {@code shadowvm demo},
 * and {@link io.shadowvm.cli.controller.RestClient}, the REST client the {@code vm create|list|show|delete}
 * commands share.
 */
package io.shadowvm.cli.controller;
