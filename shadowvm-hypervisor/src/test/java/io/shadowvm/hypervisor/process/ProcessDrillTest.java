package io.shadowvm.hypervisor.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.hypervisor.checkpoint.DirtyTracking;
import io.shadowvm.hypervisor.drill.DrillOptions;
import io.shadowvm.hypervisor.drill.DrillReport;
import io.shadowvm.hypervisor.drill.EpochTransport;
import io.shadowvm.hypervisor.drill.ProcessDrill;
import io.shadowvm.hypervisor.qemu.Accel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real child-JVM process guest shadowed, killed with SIGKILL and promoted; a read-only instance follows epochs. */
class ProcessDrillTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldPromoteTheProcessGuestWithTheStateOfTheLastAckedEpochAndServeReadOnlyFromTheReplica() {
        DrillOptions o = new DrillOptions(5, 50, 64, 0, DirtyTracking.SOFT_DIRTY, Accel.TCG, false, true, EpochTransport.BUILTIN, false);
        ProcessDrill.ProcessOutcome po = ProcessDrill.run(o, System.out::println);
        DrillReport r = po.outcome().report();
        System.out.println(r.toMap());

        assertThat(po.outcome().refusals()).singleElement().asString().contains("device state CRC32C");
        assertThat(r.lastAckedEpoch()).isEqualTo(3);
        assertThat(po.outcome().promotedKv()).isEqualTo(po.outcome().expectedKv());
        assertThat(po.outcome().promotedKv()).containsEntry("k3", "v3").doesNotContainKeys("k4", "lost");
        assertThat(po.outcome().promotedState().get("boot_id")).isEqualTo(po.outcome().primaryBootId());
        assertThat(po.outcome().promotedState().get("hits")).isEqualTo("4");
        assertThat(r.resumedWithoutReboot()).isTrue();
        assertThat(po.servingValueOfLastAckedKey()).isEqualTo("VALUE v3");
        assertThat(po.servingWriteReply()).startsWith("ERR read-only");
    }
}
