/**
 * Process guests: any command whose state lives in a mapped file can be shadowed like a VM. Pauses are
 * SIGSTOP/SIGCONT, dirty pages come from the same trackers as QEMU's (soft-dirty of the process's mapping, or a
 * hash scan), promotion starts the command again on the replica's file (or a warm follower or standby KV guest
 * adopts it without a JVM start), and a read-only serving instance follows the replica's published epochs. {@link io.shadowvm.hypervisor.process.KvGuestMain} is the sample guest: a
 * key-value service over TCP whose data is the mapped file.
 */
package io.shadowvm.hypervisor.process;
