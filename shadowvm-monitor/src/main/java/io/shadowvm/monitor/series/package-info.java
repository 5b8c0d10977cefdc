/**
 * Fixed-size, allocation-free time series: a ring of (timestamp, value) points at full resolution plus
 * rollup levels (1 s → 1 min → 5 min) of min/max/mean/count. Queries copy into caller-provided primitive
 * arrays; nothing here boxes or copies a whole series. Single writer: the agent thread that records.
 */
package io.shadowvm.monitor.series;
