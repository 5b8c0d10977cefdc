/**
 * The {@code shadowvm} command line (picocli). One package per command group; commands parse arguments,
 * call the modules, and print. No business logic lives here.
 */
package io.shadowvm.cli;
