package io.shadowvm.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.hypervisor.HypervisorException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
    private final GuestImage image = new GuestImage(Path.of("/k/vmlinuz"), Path.of("/k/initrd.gz"));

    @Test
    void shouldKeepTheGuestVisiblePartIdenticalBetweenPrimaryAndRestore() {
        QemuConfig p = QemuConfig.of("vm1", 256, Path.of("/run/a"), image, 10080).withDirtyMib(16);
        QemuConfig s = p.onHost(Path.of("/run/b"), 20080, "ns2");
        List<String> a = QemuCommandLine.build(p, Path.of("/dev/shm/vm1.ram"), Path.of("/run/a/qmp.sock"), Path.of("/run/a/s.log"), Accel.TCG, false);
        List<String> b = QemuCommandLine.build(s, Path.of("/dev/shm/r.ram"), Path.of("/run/b/qmp.sock"), Path.of("/run/b/s.log"), Accel.TCG, true);
        assertThat(b.subList(0, 4)).containsExactly("ip", "netns", "exec", "ns2");
        assertThat(b).containsSubsequence("-S", "-incoming", "defer");
        for (String guestVisible : List.of("pc-q35-7.2,memory-backend=mem", "256M", "virtio-net-pci,netdev=n0,romfile=,mac=52:54:00:53:56:01",
                "console=ttyS0 quiet panic=-1 sv.dirty=16 sv.hb=0.500")) {
            assertThat(a).contains(guestVisible);
            assertThat(b).contains(guestVisible);
        }
        assertThat(a).contains("user,id=n0,hostfwd=tcp:127.0.0.1:10080-:80");
        assertThat(b).contains("user,id=n0,hostfwd=tcp:127.0.0.1:20080-:80");
    }

    @Test
    void shouldForwardTheGuestPortOnTheHostAddressKeptAcrossHosts() {
        QemuConfig p = QemuConfig.of("vm1", 128, Path.of("/run/a"), image, 10080).withHostAddress("10.0.1.2");
        QemuConfig s = p.onHost(Path.of("/run/b"), 20080, null).withHostAddress("10.0.2.3");
        assertThat(QemuCommandLine.build(p, Path.of("r"), Path.of("q"), Path.of("s"), Accel.TCG, false))
                .contains("user,id=n0,hostfwd=tcp:10.0.1.2:10080-:80");
        assertThat(QemuCommandLine.build(s, Path.of("r"), Path.of("q"), Path.of("s"), Accel.TCG, true))
                .contains("user,id=n0,hostfwd=tcp:10.0.2.3:20080-:80");
        assertThat(p.withDirtyMib(8).hostAddress()).isEqualTo("10.0.1.2");
        assertThatThrownBy(() -> p.withHostAddress("10.0.1.300")).isInstanceOf(HypervisorException.class)
                .hasMessageContaining("invalid hostAddress for VM vm1: '10.0.1.300' (expected: an IPv4 literal");
    }

    @Test
    void shouldAddTheOutputBufferOnlyWithOutputCommit() {
        QemuConfig p = QemuConfig.of("vm1", 128, Path.of("/run/a"), image, 0);
        assertThat(String.join(" ", QemuCommandLine.build(p, Path.of("r"), Path.of("q"), Path.of("s"), Accel.TCG, false))).doesNotContain("filter-buffer");
        assertThat(String.join(" ", QemuCommandLine.build(p.withOutputCommit(true), Path.of("r"), Path.of("q"), Path.of("s"), Accel.TCG, false)))
                .contains("filter-buffer,id=fbh,netdev=n0,queue=rx").contains("filter-buffer,id=fbc,netdev=n0,queue=rx");
    }

    @Test
    void shouldRejectInvalidConfigNamingValueAndBound() {
        assertThatThrownBy(() -> QemuConfig.of("vm1", 32, Path.of("/r"), image, 0))
                .isInstanceOf(HypervisorException.class).hasMessage("invalid memoryMib for VM vm1: 32 (expected: 64-65536)");
        assertThatThrownBy(() -> QemuConfig.of("VM 1", 128, Path.of("/r"), image, 0)).hasMessageContaining("[a-z0-9-]{1,32}");
        assertThatThrownBy(() -> QemuConfig.of("vm1", 128, Path.of("/r"), image, 70000)).hasMessageContaining("70000 (expected: 0-65535)");
    }

    @Test
    void shouldReadHeartbeatsAndBootsFromTheConsole() {
        String log = "GUEST-UP boot_id=x\nCNT 1 up=1 boot=x\nCNT 2 up=1.5 boot=x\nCNT 3 up";
        assertThat(GuestConsole.counters(log)).containsExactly(1L, 2L);
        assertThat(GuestConsole.lastCounter(log)).isEqualTo(2);
        assertThat(GuestConsole.boots(log)).isEqualTo(1);
    }

    @Test
    void shouldSayQemuIsMissingByName() {
        assertThatThrownBy(() -> QemuVm.requireBinary("qemu-system-nonexistent"))
                .isInstanceOf(QemuNotFoundException.class).hasMessageContaining("qemu-system-nonexistent not found");
    }
}
