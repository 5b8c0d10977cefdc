/**
 * Memory regions: a page-addressed view (4 KiB pages) over a memory-mapped file (any size, several
 * mappings above 1 GiB, works on {@code /dev/shm} files such as QEMU's {@code memory-backend-file}) or over
 * heap memory for tests. No dirty tracking here: see {@code io.shadowvm.sync.dirty}.
 */
package io.shadowvm.sync.region;
