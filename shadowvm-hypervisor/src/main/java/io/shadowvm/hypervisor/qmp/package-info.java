/**
 * A QMP (QEMU Machine Protocol) client over a Unix domain socket: greeting and capability negotiation,
 * commands with ids, asynchronous events, timeouts, and one exception type per QMP error class.
 * QEMU serves one QMP client per socket at a time, so a {@link io.shadowvm.hypervisor.qmp.QmpClient} is the
 * only owner of its socket inside this JVM. No shelling out.
 */
package io.shadowvm.hypervisor.qmp;
