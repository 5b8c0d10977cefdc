package io.shadowvm.controller.e2e;

import static io.shadowvm.controller.e2e.ProcessGuestCluster.WAIT;
import static io.shadowvm.controller.e2e.ProcessGuestCluster.port;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.agent.runtime.ProcessGuestRuntime;
import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.controller.store.Await;
import io.shadowvm.hypervisor.process.KvClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing scripted: real process guests (shadowvm-hypervisor's KV guest) replicated with shadowvm-sync,
 * the L4 redirector of shadowvm-redirect at the ingress, real agents over gRPC, the controller with the
 * placement and redirect modules. A host is killed (its agent silenced, its guests SIGKILLed); the shadow
 * is promoted and answers with the state of the acknowledged epoch, through the ingress; the state it started
 * from is the primary's state at that epoch (equal state digests: the primary's, taken while its guest was
 * paused for that checkpoint, and the promoted replica's).
 */
class ProcessGuestFailoverTest {
    @Test
    void aKilledHostsVmIsPromotedWithExactlyItsAckedStateAndTheIngressFollows(@TempDir Path dir) throws Exception {
        try (ProcessGuestCluster cl = new ProcessGuestCluster(dir, LoopbackCluster.loopConfig())) {
            try {
                String primary = cl.createRunning("kv");
                VmPlacement p = cl.placement("kv");
                String shadowHost = p.shadows().get(0).host();
                KvClient direct = new KvClient(port(p.serviceAddress()));
                assertThat(direct.call("SET before-failover kept")).isEqualTo("OK");
                long written = cl.placement("kv").primaryEpoch();
                Await.until(WAIT, () -> cl.placement("kv").shadows().get(0).ackedEpoch() >= written + 2);
                // The controller's primaryEpoch is the last one *reported*, which can trail the epoch that holds the
                // write; the serving shadow's read-only instance answers only from applied epochs, so wait until it
                // serves the write before the primary dies.
                Await.until(WAIT, () -> servesKept(cl.runtimes.get(shadowHost)));
                Await.until(WAIT, () -> cl.ingress.address("kv") != null);
                assertThat(new KvClient(cl.ingress.address("kv").getPort()).call("GET before-failover"))
                    .isEqualTo("VALUE kept");

                cl.agents.get(primary).pause(true);
                cl.runtimes.get(primary).killAll();

                Await.until(WAIT, () -> cl.controller.snapshot().failovers().size() == 1
                    && cl.placement("kv").phase() == VmPhase.RUNNING);
                FailoverRecord f = cl.controller.snapshot().failovers().get(0);
                assertThat(f.deadHost()).isEqualTo(primary);
                assertThat(f.promotedHost()).isEqualTo(shadowHost);
                assertThat(f.cause()).isEqualTo(FailoverRecord.HOST_DEAD);
                System.out.printf("failover of kv: RTO %d ms (from the last heartbeat), RPO %d epochs%n", f.rtoMs(),
                    f.rpoEpochs());
                assertThat(f.stateDigest()).as("digest of the state the promoted shadow started from").isNotZero()
                    .isEqualTo(cl.runtimes.get(primary).primaryDigest("kv", 1, f.resumedEpoch()));
                VmPlacement after = cl.placement("kv");
                assertThat(new KvClient(port(after.serviceAddress())).call("GET before-failover")).isEqualTo("VALUE kept");
                Await.until(WAIT, () -> {
                    InetSocketAddress in = cl.ingress.address("kv");
                    try {
                        return in != null && new KvClient(in.getPort()).call("GET before-failover").equals("VALUE kept");
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
            } catch (AssertionError | RuntimeException e) {
                cl.dump();
                throw e;
            }
        }
    }

    /** Whether the host's serving shadow of {@code kv} already answers with the value written before the kill. */
    static boolean servesKept(ProcessGuestRuntime shadowRuntime) {
        for (var i : shadowRuntime.instances()) {
            if (i.vm().equals("kv") && !i.primary() && i.serving() && !i.serviceAddress().isEmpty()) {
                try {
                    return new KvClient(port(i.serviceAddress())).call("GET before-failover").equals("VALUE kept");
                } catch (RuntimeException e) {
                    return false;
                }
            }
        }
        return false;
    }
}
