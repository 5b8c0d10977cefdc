/**
 * VM drivers: QEMU guests driven over QMP ({@code qmp}, {@code qemu}), Remus-style epoch checkpoints and standby
 * promotion ({@code checkpoint}), and process guests whose state is a mapped file ({@code process}).
 * Nothing here decides placement or failover; callers (the agent, the CLI drill) do.
 */
package io.shadowvm.hypervisor;
