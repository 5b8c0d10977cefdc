package io.shadowvm.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.agent.VmRuntime;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.hypervisor.qemu.GuestImage;
import io.shadowvm.hypervisor.qemu.QemuNotFoundException;
import io.shadowvm.hypervisor.qemu.QemuVm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real QEMU guests (TCG) through the agent's port: three "hosts" (runtimes with their own work directories) on
 * loopback, primary on A replicating to shadows on B and C, A's QEMU SIGKILLed, B promoted. Skips, saying why,
 * only when QEMU or the guest image's tools are missing.
 */
class QemuGuestRuntimeTest {
    private static final long MIB = 96;
    private static final long EPOCH_MS = 200;
    private static final long SERVING_REFRESH_MS = 3_000;
    private static GuestImage image;

    @TempDir
    Path work;

    @BeforeAll
    static void requireQemu() {
        try {
            QemuVm.requireBinary("qemu-system-x86_64");
            image = GuestImage.build();
        } catch (QemuNotFoundException e) {
            System.out.println("SKIP QEMU runtime tests: " + e.getMessage());
            Assumptions.assumeTrue(false, e.getMessage());
        }
    }

    private RuntimeThread host(String name) {
        return new RuntimeThread(name, new QemuGuestRuntime(name, work.resolve(name), null, "127.0.0.1", EPOCH_MS,
            SERVING_REFRESH_MS, EpochClock.SYSTEM, () -> image));
    }

    /** The clone of C's serving shadow serves {@code key}, or false while it does not (yet). */
    private static boolean servesKey(RuntimeThread host, String key) {
        VmRuntime.Instance s = host.instance("web", false);
        if (s == null || !s.serving()) {
            return false;
        }
        try {
            return get(s.serviceAddress(), "/cgi-bin/kv").containsKey(key);
        } catch (ShadowVmException e) {
            return false; // a replaced clone may be gone between the report and the request
        }
    }

    private static Map<String, String> get(String address, String path) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : GuestProbe.get(address, path, Duration.ofSeconds(10)).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return m;
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aPromotedShadowContinuesTheKilledPrimarysGuestWithItsStateBootAndHeartbeat() {
        try (RuntimeThread a = host("hosta"); RuntimeThread b = host("hostb"); RuntimeThread c = host("hostc")) {
            long boot0 = System.nanoTime();
            String service = a.call(r -> r.startPrimary("web", 1, MIB, 1, "qemu"));
            long bootMs = (System.nanoTime() - boot0) / 1_000_000;
            assertThat(service).startsWith("127.0.0.1:");
            Map<String, String> before = get(service, "/cgi-bin/state");
            String bootId = before.get("boot_id");
            assertThat(bootId).isNotBlank();

            String sinkB = b.call(r -> r.openShadow("web", 1, false, "qemu", MIB));
            a.call(r -> {
                r.startReplication("web", 1, "hostb", sinkB);
                return null;
            });
            long sync0 = System.nanoTime();
            RuntimeThread.await("B acknowledges a first epoch", Duration.ofSeconds(60),
                () -> b.instance("web", false).epoch() > 0, () -> "A " + a.diagnosis() + " B " + b.diagnosis());
            long firstAckMs = (System.nanoTime() - sync0) / 1_000_000;
            // a second shadow restarts the source towards both sinks: B must go on acknowledging; C serves reads
            String sinkC = c.call(r -> r.openShadow("web", 1, true, "qemu", MIB));
            a.call(r -> {
                r.startReplication("web", 1, "hostc", sinkC);
                return null;
            });

            assertThat(get(service, "/cgi-bin/kv?color=blue")).containsEntry("color", "blue");
            long afterWrite = a.instance("web", true).epoch() + 1; // the next epoch is taken after the write
            RuntimeThread.await("B and C acknowledge VM epoch " + afterWrite, Duration.ofSeconds(60),
                () -> b.instance("web", false).epoch() >= afterWrite && c.instance("web", false).epoch() >= afterWrite,
                () -> "A " + a.diagnosis() + " B " + b.diagnosis() + " C " + c.diagnosis());
            long heartbeatBefore = heartbeat(service);
            RuntimeThread.await("C's serving clone serves the write (a clone of a newer epoch replaces the first)",
                Duration.ofSeconds(60), () -> servesKey(c, "color"));
            assertThat(get(c.instance("web", false).serviceAddress(), "/cgi-bin/state").get("boot_id")).isEqualTo(bootId);

            long pid = ((QemuGuestRuntime) a.runtime).primaryPid("web");
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL: the host dies under it
            RuntimeThread.await("A reports its primary dead", Duration.ofSeconds(20),
                () -> "dead".equals(a.instance("web", true).state()));
            long acked = b.instance("web", false).epoch();

            long t0 = System.nanoTime();
            VmRuntime.Promotion p = b.call(r -> r.promote("web", 2));
            long promoteMs = (System.nanoTime() - t0) / 1_000_000;
            // the newest epoch B applied: an epoch A shipped just before it died may land after `acked` was read
            assertThat(p.epoch()).isGreaterThanOrEqualTo(acked).isGreaterThanOrEqualTo(afterWrite);
            assertThat(p.serviceAddress()).startsWith("127.0.0.1:").isNotEqualTo(service);
            Map<String, String> kv = get(p.serviceAddress(), "/cgi-bin/kv");
            long answerMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("qemu runtime: boot to HTTP %d ms, first epoch acked %d ms after replication started, "
                + "promoted VM epoch %d in %d ms, promoted guest answered %d ms after promote was called (load %s)%n",
                bootMs, firstAckMs, p.epoch(), promoteMs, answerMs, loadAverage());
            assertThat(kv).containsEntry("color", "blue");
            Map<String, String> after = get(p.serviceAddress(), "/cgi-bin/state");
            assertThat(after.get("boot_id")).isEqualTo(bootId);
            long hb = heartbeat(p.serviceAddress());
            assertThat(hb).isGreaterThanOrEqualTo(heartbeatBefore);
            RuntimeThread.await("the promoted guest's heartbeat goes on", Duration.ofSeconds(20),
                () -> heartbeat(p.serviceAddress()) > hb);
            VmRuntime.Instance promoted = b.instance("web", true);
            assertThat(promoted.state()).isEqualTo("running");
            assertThat(promoted.generation()).isEqualTo(2);
            assertThat(b.instance("web", false)).isNull();
            // promoting again is idempotent: the same guest, the same address
            VmRuntime.Promotion again = b.call(r -> r.promote("web", 2));
            assertThat(again).isEqualTo(p);

            // the promoted guest is shadowed again: C's generation-2 shadow replaces its old one, VM epochs go on
            String sinkC2 = c.call(r -> r.openShadow("web", 2, false, "qemu", MIB));
            b.call(r -> {
                r.startReplication("web", 2, "hostc", sinkC2);
                return null;
            });
            RuntimeThread.await("C acknowledges an epoch of the promoted guest", Duration.ofSeconds(60),
                () -> c.instance("web", false).epoch() > p.epoch());
            assertThat(c.instance("web", false).generation()).isEqualTo(2);
            b.call(r -> {
                r.stop("web", 2);
                return null;
            });
            assertThat(b.call(VmRuntime::instances)).isEmpty();
        }
        assertThat(ProcessHandle.current().descendants().filter(h -> h.info().command().orElse("").contains("qemu")))
            .as("no QEMU outlives its runtime").isEmpty();
        try (var left = Files.list(Path.of("/dev/shm"))) {
            assertThat(left.map(Path::toString).filter(f -> f.contains("shadowvm-host") && f.contains(
                "-" + ProcessHandle.current().pid()))).isEmpty();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The guest's heartbeat counter (the guest rewrites /run/hb each beat: a read may see it empty, then retry). */
    private static long heartbeat(String address) {
        String[] hb = new String[1];
        RuntimeThread.await("the heartbeat of " + address + " reads", Duration.ofSeconds(10), () -> {
            hb[0] = get(address, "/cgi-bin/state").getOrDefault("heartbeat", "");
            return hb[0].matches("[0-9]+");
        });
        return Long.parseLong(hb[0]);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aGuestDiesWithTheAgentThreadThatStartedItSoACrashedAgentLeavesNoPrimaryServing() throws InterruptedException {
        try (QemuGuestRuntime r = new QemuGuestRuntime("hostd", work.resolve("hostd"), null, "127.0.0.1", EPOCH_MS,
                EpochClock.SYSTEM, () -> image)) {
            String[] address = new String[1];
            Thread agentThread = new Thread(() -> address[0] = r.startPrimary("solo", 1, MIB, 1, "qemu"), "vm-hostd");
            agentThread.start();
            agentThread.join(TimeUnit.SECONDS.toMillis(80));
            assertThat(address[0]).as("the guest booted").isNotNull();
            RuntimeThread.await("the guest is killed with the thread that started it", Duration.ofSeconds(20),
                () -> r.instances().stream().anyMatch(i -> i.vm().equals("solo") && i.state().equals("dead")));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void badRequestsAreRefusedNamingTheValueAndTheBound() {
        try (RuntimeThread a = host("hosta")) {
            assertThatThrownBy(() -> a.call(r -> r.startPrimary("web", 1, 32, 1, "qemu")))
                .isInstanceOf(ShadowVmException.class).hasMessage("memory of qemu VM web: 32 MiB (expected: 64-65536)");
            assertThatThrownBy(() -> a.call(r -> r.startPrimary("web", 1, 96, 1, "process")))
                .hasMessageContaining("guest kind 'process' is not run by qemu guests");
            assertThatThrownBy(() -> a.call(r -> r.openShadow("web", 1, false, "qemu", 0)))
                .hasMessageContaining("memory_mib 0 (expected: the guest's RAM, 64-65536 MiB");
            assertThatThrownBy(() -> a.call(r -> r.openShadow("web", 1, false, "qemu", 1L << 24)))
                .hasMessageContaining("16777216 MiB (expected: 64-65536)");
            assertThatThrownBy(() -> a.call(r -> r.promote("web", 2)))
                .hasMessage("no shadow of web on hosta to promote");
            assertThatThrownBy(() -> a.call(r -> {
                r.startReplication("web", 1, "hostb", "127.0.0.1:1");
                return null;
            })).hasMessage("no qemu primary of web generation 1 on hosta");
        }
    }
}
