package io.shadowvm.hypervisor.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessGuestAdoptionTest {
    static final long BYTES = 1L << 20;

    @Test
    void aStandbyGuestServesNothingUntilItAdoptsAStateFileThenServesItsStateOnTheSamePort(@TempDir Path dir) {
        Path state = dir.resolve("kv.state");
        try (ProcessGuest primary = ProcessGuest.startKv(state, BYTES, null)) {
            assertThat(new KvClient(primary.port()).call("SET k kept")).isEqualTo("OK");
        }
        ProcessGuest standby = ProcessGuest.startKvStandby(BYTES, null);
        try {
            KvClient c = new KvClient(standby.port());
            assertThat(c.call("GET k")).startsWith("ERR standby");
            ProcessGuest adopted = standby.adopt(state);
            assertThat(adopted.port()).isEqualTo(standby.port());
            assertThat(adopted.stateFile()).isEqualTo(state);
            assertThat(adopted.canAdopt()).isFalse();
            assertThat(c.call("GET k")).isEqualTo("VALUE kept");
            assertThat(c.call("SET k2 new")).isEqualTo("OK");
        } finally {
            standby.close();
        }
    }

    @Test
    void aGuestWhoseProcessWasKilledIsNotAlive(@TempDir Path dir) {
        ProcessGuest g = ProcessGuest.startKv(dir.resolve("s"), BYTES, null);
        assertThat(g.isAlive()).isTrue();
        g.kill();
        assertThat(g.isAlive()).isFalse();
        assertThat(g.exitCode()).isEqualTo(137);
    }

    @Test
    void aPausedGuestAnswersNothingUntilItIsResumedAndPausingAGoneGuestFailsNamingIt(@TempDir Path dir) throws Exception {
        ProcessGuest g = ProcessGuest.startKv(dir.resolve("s"), BYTES, null);
        try {
            for (int i = 0; i < 50; i++) { // many pause/resume cycles through the signal shell
                g.pause();
                g.resume();
            }
            assertThat(new KvClient(g.port()).call("SET k v")).isEqualTo("OK");
            g.pause();
            KvClient impatient = new KvClient(g.port(), 1_000, 200);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> impatient.call("GET k"))
                .isInstanceOf(io.shadowvm.hypervisor.HypervisorException.class);
            g.resume();
            assertThat(new KvClient(g.port()).call("GET k")).isEqualTo("VALUE v");
            g.kill();
            org.assertj.core.api.Assertions.assertThatThrownBy(g::pause)
                .isInstanceOf(io.shadowvm.hypervisor.HypervisorException.class).hasMessageContaining(Long.toString(g.pid()));
        } finally {
            g.close();
        }
    }
}
