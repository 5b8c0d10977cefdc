package io.shadowvm.controller.e2e;

import static io.shadowvm.controller.e2e.ProcessGuestCluster.WAIT;
import static io.shadowvm.controller.e2e.ProcessGuestCluster.port;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.controller.store.Await;
import io.shadowvm.hypervisor.process.KvClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VM liveness with real guests: a primary's guest process is SIGKILLed while its host's agent keeps
 * heartbeating. The VM alone fails over (its shadow promoted with the primary's state at the acknowledged
 * epoch, recorded as "vm-dead"); the host stays alive and is not fenced.
 */
class ProcessGuestDeathTest {
    @Test
    void aPrimaryWhoseGuestWasKilledOnALiveHostIsFailedOverAloneWithItsAckedState(@TempDir Path dir) throws Exception {
        try (ProcessGuestCluster cl = new ProcessGuestCluster(dir, LoopbackCluster.loopConfig())) {
            try {
                String primary = cl.createRunning("kv");
                VmPlacement p = cl.placement("kv");
                String shadowHost = p.shadows().get(0).host();
                assertThat(new KvClient(port(p.serviceAddress())).call("SET before-failover kept")).isEqualTo("OK");
                Await.until(WAIT, () -> ProcessGuestFailoverTest.servesKept(cl.runtimes.get(shadowHost)));
                long fencingEpoch = cl.agents.get(primary).fencingEpoch();

                sigkill(guestPid(cl.work.resolve(primary).resolve("kv-g1.state")));

                Await.until(WAIT, () -> cl.controller.snapshot().failovers().size() == 1
                    && cl.placement("kv").phase() == VmPhase.RUNNING);
                FailoverRecord f = cl.controller.snapshot().failovers().get(0);
                System.out.printf("vm-dead failover of kv: RTO %d ms (detection %d, promotion %d), RPO %d epochs%n",
                    f.rtoMs(), f.detectionMs(), f.promotionMs(), f.rpoEpochs());
                assertThat(f.cause()).isEqualTo(FailoverRecord.VM_DEAD);
                assertThat(f.deadHost()).isEqualTo(primary);
                assertThat(f.promotedHost()).isEqualTo(shadowHost);
                assertThat(f.stateDigest()).isNotZero()
                    .isEqualTo(cl.runtimes.get(primary).primaryDigest("kv", 1, f.resumedEpoch()));
                assertThat(new KvClient(port(cl.placement("kv").serviceAddress())).call("GET before-failover"))
                    .isEqualTo("VALUE kept");
                assertThat(cl.controller.snapshot().hosts()).anyMatch(h -> h.name().equals(primary)
                    && h.state().equals("ALIVE"));
                assertThat(cl.agents.get(primary).fencingEpoch()).as("the host is not fenced").isEqualTo(fencingEpoch);
                Await.until(WAIT, () -> cl.runtimes.get(primary).instances().stream()
                    .noneMatch(i -> i.vm().equals("kv") && i.primary()));
            } catch (AssertionError | RuntimeException e) {
                cl.dump();
                throw e;
            }
        }
    }

    static long guestPid(Path stateFile) {
        return ProcessHandle.current().children()
            .filter(h -> cmdline(h.pid()).contains(stateFile.toString()))
            .findFirst().orElseThrow(() -> new AssertionError("no guest process on " + stateFile)).pid();
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).replace('\0', ' ');
        } catch (java.io.IOException e) {
            return "";
        }
    }

    static void sigkill(long pid) throws Exception {
        Process k = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start();
        assertThat(k.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(k.exitValue()).isZero();
    }
}
