/**
 * {@code shadowvm predict evaluate|train|score|table}: the Predictive Congestion Algorithm on the command
 * line (shadowvm-predict does the work; this package parses options and prints).
 */
package io.shadowvm.cli.predict;
