/** {@code shadowvm topology generate|show}: leaf-spine topology generation and inspection. */
package io.shadowvm.cli.topology;
