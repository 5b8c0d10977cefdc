/** {@code shadowvm place}: batch placement of a VM spec file onto a topology, table or JSON output. */
package io.shadowvm.cli.place;
