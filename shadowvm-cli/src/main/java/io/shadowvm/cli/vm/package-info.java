/**
 * {@code shadowvm vm ...}: run a guest by hand ({@code run}) and the failover drill ({@code drill}) on the VM drivers
 * of shadowvm-hypervisor. Further subcommands (REST-client {@code create|list|show|delete}) join
 * {@link io.shadowvm.cli.vm.VmCommand}'s {@code subcommands} list.
 */
package io.shadowvm.cli.vm;
