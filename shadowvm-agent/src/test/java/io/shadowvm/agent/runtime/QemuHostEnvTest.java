package io.shadowvm.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.hypervisor.qemu.GuestImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuHostEnvTest {
    @TempDir
    Path work;

    @Test
    void qemuNamesAreValidForAnyVmNameAndStayDistinctWhenCleaned() {
        assertThat(QemuHostEnv.qemuName("web", 3, "p")).isEqualTo("web-g3-p");
        String a = QemuHostEnv.qemuName("Web_1", 1, "s");
        String b = QemuHostEnv.qemuName("Web.1", 1, "s");
        assertThat(a).matches("[a-z0-9-]{1,32}").isNotEqualTo(b);
        assertThat(QemuHostEnv.qemuName("a-very-long-vm-name-that-goes-on-and-on", 123456789, "c1"))
            .matches("[a-z0-9-]{1,32}").endsWith("-g123456789-c1");
        assertThat(QemuHostEnv.qemuName("", 1, "p")).matches("[a-z0-9-]{1,32}");
    }

    @Test
    void aHostNameBindIsForwardedOnItsIpv4AddressAndBadAddressesAreNamed() {
        QemuHostEnv env = new QemuHostEnv("h", work.resolve("h"), work.resolve("ram"), "localhost",
            () -> new GuestImage(Path.of("/k"), Path.of("/i")));
        assertThat(env.forwardAddress()).isEqualTo("127.0.0.1");
        assertThat(env.address(10080)).isEqualTo("localhost:10080");
        assertThatThrownBy(() -> QemuHostEnv.parseAddress("nohost")).isInstanceOf(ShadowVmException.class)
            .hasMessage("sink address 'nohost' (expected: host:port)");
        assertThatThrownBy(() -> QemuHostEnv.parseAddress("h:70000"))
            .hasMessage("sink address 'h:70000': port 70000 (expected: 1-65535)");
        assertThatThrownBy(() -> env.requireRamSpace(Long.MAX_VALUE / 2, "qemu VM big"))
            .hasMessageStartingWith("qemu VM big needs ").hasMessageContaining(" MiB are free");
        env.close();
    }
}
