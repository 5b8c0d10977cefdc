/** Injected clocks: every component reads time through these, never from {@code System} directly. */
package io.shadowvm.core.time;
