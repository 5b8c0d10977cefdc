/**
 * {@link io.shadowvm.agent.VmRuntime} implementations on the real modules: process guests of shadowvm-hypervisor
 * ({@link io.shadowvm.agent.runtime.ProcessGuestRuntime}) and QEMU guests
 * ({@link io.shadowvm.agent.runtime.QemuGuestRuntime}), both replicated with shadowvm-sync and carrying the VM epoch
 * in each sync epoch's critical blob, and {@link io.shadowvm.agent.runtime.GuestKindDispatcher}, which lets one
 * agent run both. Nothing here talks to the controller: the agent's command executor calls these on its VM thread.
 */
package io.shadowvm.agent.runtime;
