package io.shadowvm.hypervisor.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.hypervisor.checkpoint.DirtyTracking;
import io.shadowvm.hypervisor.qemu.Accel;
import io.shadowvm.hypervisor.qemu.GuestImage;
import io.shadowvm.hypervisor.qemu.QemuNotFoundException;
import io.shadowvm.hypervisor.qemu.QemuVm;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real QEMU (TCG): checkpoint a memory-dirtying guest for several epochs, SIGKILL it, promote the shadow and check
 * that the guest continued from exactly the last acknowledged epoch. Skips, saying why, only when QEMU or the
 * guest image's tools are missing.
 */
class QemuDrillTest {
    @BeforeAll
    static void requireQemu() {
        try {
            QemuVm.requireBinary("qemu-system-x86_64");
            GuestImage.build();
        } catch (QemuNotFoundException e) {
            System.out.println("SKIP QEMU drill: " + e.getMessage());
            Assumptions.assumeTrue(false, e.getMessage());
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldContinueFromTheLastAckedSyncEpochAfterThePrimaryIsKilledWithSigkill() {
        DrillOptions o = new DrillOptions(5, 150, 96, 4, DirtyTracking.SOFT_DIRTY, Accel.TCG, true, false, EpochTransport.SYNC, true);
        DrillOutcome out = QemuDrill.run(o, System.out::println);
        DrillReport r = out.report();
        System.out.println(r.toMap());

        assertThat(out.refusals()).isEmpty();
        assertThat(r.lastAckedEpoch()).isEqualTo(5);
        // the guest continued: same boot, next heartbeat, no GUEST-UP on the promoted console
        assertThat(out.promotedState().get("boot_id")).isEqualTo(out.primaryBootId());
        assertThat(r.counterAtAck()).isPositive();
        assertThat(r.counterAfterPromote()).isEqualTo(r.counterAtAck() + 1);
        assertThat(r.resumedWithoutReboot()).isTrue();
        // the HTTP service answers with the state of the acked epoch: every write before it, none after
        assertThat(out.promotedKv()).isEqualTo(out.expectedKv()).containsEntry("k4", "v4").doesNotContainKey("lost");
        assertThat(r.devStateBytes()).isPositive();
        assertThat(r.wireBytesPerEpoch()).isPositive();
        // serving clones: each serves the acked epoch it started from; the replacement is newer
        assertThat(out.servingClones()).hasSize(2);
        for (DrillOutcome.CloneCheck c : out.servingClones()) {
            assertThat(c.served()).isEqualTo(c.expected());
        }
        assertThat(out.servingClones().get(1).epoch()).isGreaterThan(out.servingClones().get(0).epoch());
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldRefuseACorruptedDeviceStateAndPromoteTheEpochBeforeIt() {
        DrillOptions o = new DrillOptions(5, 150, 96, 4, DirtyTracking.SOFT_DIRTY, Accel.TCG, false, true, EpochTransport.BUILTIN, false);
        DrillOutcome out = QemuDrill.run(o, System.out::println);
        DrillReport r = out.report();
        System.out.println(r.toMap());

        assertThat(out.refusals()).singleElement().asString().contains("device state CRC32C").contains("expected");
        assertThat(r.lastAckedEpoch()).isEqualTo(3);
        assertThat(r.counterAfterPromote()).isEqualTo(r.counterAtAck() + 1);
        assertThat(r.resumedWithoutReboot()).isTrue();
        assertThat(out.promotedKv()).isEqualTo(out.expectedKv()).containsEntry("k3", "v3").doesNotContainKeys("k4", "lost");
    }
}
