/**
 * The QEMU driver: the guest image, the command line (primary and {@code -incoming} restore share it, only host
 * paths, ports and namespace differ), launching {@code qemu-system-x86_64} with its RAM in a shared file, QMP
 * control (pause, resume, status, kill), and the KVM probe (TCG when {@code /dev/kvm} does not really boot).
 */
package io.shadowvm.hypervisor.qemu;
