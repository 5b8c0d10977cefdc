package io.shadowvm.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.agent.VmRuntime;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.hypervisor.process.KvClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runtimes on loopback with real KV guests and real sync: digests, warm-spare promotion, dead guests. */
class ProcessGuestRuntimeTest {
    static final Duration WAIT = Duration.ofSeconds(40);

    @Test
    void aPromotedStandbyAdoptsTheReplicaAndStartsFromExactlyThePrimarysStateAtTheAckedEpoch(@TempDir Path dir)
        throws Exception {
        try (ProcessGuestRuntime a = new ProcessGuestRuntime("a", dir.resolve("a"), "127.0.0.1", 50, EpochClock.SYSTEM);
             ProcessGuestRuntime b = new ProcessGuestRuntime("b", dir.resolve("b"), "127.0.0.1", 50, EpochClock.SYSTEM)) {
            String service = a.startPrimary("kv", 1, 64, 1, "process");
            String sink = b.openShadow("kv", 1, false, "process", 64);
            a.startReplication("kv", 1, "b", sink);
            KvClient primary = new KvClient(port(service));
            assertThat(primary.call("SET k before")).isEqualTo("OK");
            long written = instance(a, true).epoch();
            await(() -> {
                a.doWork();
                b.doWork();
                VmRuntime.Instance s = instance(b, false);
                return s != null && s.epoch() >= written + 2 && s.stateDigest() != 0 && hasSpare(b);
            });
            VmRuntime.Instance shadow = instance(b, false);
            assertThat(shadow.stateDigest()).isEqualTo(a.primaryDigest("kv", 1, shadow.digestEpoch()));

            VmRuntime.Promotion p = b.promote("kv", 2);

            assertThat(p.stateDigest()).isNotZero().isEqualTo(a.primaryDigest("kv", 1, p.epoch()));
            assertThat(new KvClient(port(p.serviceAddress())).call("GET k")).isEqualTo("VALUE before");
            assertThat(new KvClient(port(p.serviceAddress())).call("SET k after")).isEqualTo("OK");
            VmRuntime.Instance promoted = instance(b, true);
            assertThat(promoted.generation()).isEqualTo(2);
            assertThat(promoted.stateDigest()).isEqualTo(p.stateDigest());
            assertThat(promoted.digestEpoch()).isEqualTo(p.epoch());
        }
    }

    @Test
    void aPrimaryWhoseGuestWasKilledIsReportedDeadAndTakesNoMoreEpochs(@TempDir Path dir) throws Exception {
        try (ProcessGuestRuntime a = new ProcessGuestRuntime("a", dir.resolve("a"), "127.0.0.1", 50, EpochClock.SYSTEM);
             ProcessGuestRuntime b = new ProcessGuestRuntime("b", dir.resolve("b"), "127.0.0.1", 50, EpochClock.SYSTEM)) {
            a.startPrimary("kv", 1, 64, 1, "process");
            a.startReplication("kv", 1, "b", b.openShadow("kv", 1, false, "process", 64));
            await(() -> {
                a.doWork();
                b.doWork();
                VmRuntime.Instance s = instance(b, false);
                return s != null && s.epoch() >= 1;
            });
            assertThat(instance(a, true).state()).startsWith("running");

            sigkill(guestPid(dir.resolve("a").resolve("kv-g1.state")));

            await(() -> {
                a.doWork();
                return VmRuntime.Instance.DEAD.equals(instance(a, true).state());
            });
            long epoch = instance(a, true).epoch();
            for (int i = 0; i < 20; i++) {
                a.doWork();
            }
            assertThat(instance(a, true).epoch()).isEqualTo(epoch);
            assertThat(instance(a, true).serving()).isFalse();
        }
    }

    @Test
    void aReplicaThatDiffersFromThePrimarysStateAtTheAckedEpochIsNotPromoted(@TempDir Path dir) throws Exception {
        try (ProcessGuestRuntime a = new ProcessGuestRuntime("a", dir.resolve("a"), "127.0.0.1", 50, EpochClock.SYSTEM, false);
             ProcessGuestRuntime b = new ProcessGuestRuntime("b", dir.resolve("b"), "127.0.0.1", 50, EpochClock.SYSTEM, false)) {
            a.startPrimary("kv", 1, 64, 1, "process");
            a.startReplication("kv", 1, "b", b.openShadow("kv", 1, false, "process", 64));
            await(() -> {
                a.doWork();
                b.doWork();
                VmRuntime.Instance s = instance(b, false);
                return s != null && s.epoch() >= 2 && s.stateDigest() != 0;
            });
            a.killAll(); // no more epochs: the replica stays at the acknowledged one
            Path replica = dir.resolve("b").resolve("kv-g1.replica");
            try (var ch = java.nio.channels.FileChannel.open(replica, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {42}), 5 * 4096 + 7); // one byte the primary never wrote
            }

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.promote("kv", 2))
                .isInstanceOf(io.shadowvm.core.ShadowVmException.class)
                .hasMessageContaining("state digest").hasMessageContaining("not promoting");
        }
    }

    static boolean hasSpare(ProcessGuestRuntime rt) {
        return rt.spareReady("kv");
    }

    static VmRuntime.Instance instance(ProcessGuestRuntime rt, boolean primary) {
        for (VmRuntime.Instance i : rt.instances()) {
            if (i.vm().equals("kv") && i.primary() == primary) {
                return i;
            }
        }
        return null;
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

    static void await(BooleanSupplier cond) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
