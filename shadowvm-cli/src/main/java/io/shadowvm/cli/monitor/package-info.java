/** {@code shadowvm monitor}: runs one Network Monitoring Agent and streams its samples. */
package io.shadowvm.cli.monitor;
