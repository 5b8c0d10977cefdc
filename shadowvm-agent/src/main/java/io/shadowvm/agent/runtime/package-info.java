/**
 * {@link io.shadowvm.agent.VmRuntime} implementations on the real modules: process guests of
 * shadowvm-hypervisor replicated with shadowvm-sync. (QEMU guests through the same port are next.)
 */
package io.shadowvm.agent.runtime;
