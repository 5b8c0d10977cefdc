package io.shadowvm.hypervisor.checkpoint;

/** How the checkpointer finds the pages the guest wrote since the last epoch. */
public enum DirtyTracking {
    /**
     * The kernel's soft-dirty bits of the QEMU process's mapping of the RAM file: {@code /proc/PID/pagemap}
     * (8 bytes per page) is read in the pause, {@code /proc/PID/clear_refs} re-arms it. Under TCG every guest
     * write is a write by that process. Under KVM guest writes bypass the host page tables: use {@link #HASH_SCAN}.
     */
    SOFT_DIRTY,
    /** Hash every page in the pause and compare with the previous hashes (exact up to 64-bit collisions; pause grows with RAM). */
    HASH_SCAN,
    /** Copy all RAM in the pause (memcpy speed), then diff the copy against the previous one after {@code cont}. */
    COPY_DIFF
}
