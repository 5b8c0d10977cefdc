/**
 * Remus-style epoch checkpoints of a QEMU guest and standby promotion. Per epoch, inside one pause:
 * {@code stop} → device state through {@code migrate} with {@code x-ignore-shared} (RAM is skipped: it is the
 * shared file) → dirty pages of the RAM file → {@code cont}. Each epoch is one consistent (RAM pages, device
 * state) pair; the shadow side stages it and commits it atomically, and only a committed epoch is acknowledged
 * and promotable. Formats ({@link io.shadowvm.hypervisor.checkpoint.DeviceStateBlob},
 * {@link io.shadowvm.hypervisor.checkpoint.EpochFrame}) are versioned and CRC32C-checked.
 */
package io.shadowvm.hypervisor.checkpoint;
