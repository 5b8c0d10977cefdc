package io.shadowvm.hypervisor.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowvm.hypervisor.HypervisorException;
import io.shadowvm.hypervisor.qemu.QemuConfig;
import io.shadowvm.hypervisor.qemu.QemuVm;
import io.shadowvm.hypervisor.qmp.QmpClient;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Promotes a standby shadow: verifies the committed epoch's device state (a corrupted or truncated blob is refused
 * before QEMU starts), starts QEMU with the primary's command line plus {@code -S -incoming defer} on the replica's
 * RAM file, feeds the device state through {@code migrate-incoming} on a Unix socket, and {@code cont}s. The guest
 * continues from the committed epoch, without a reboot.
 */
public final class Promoter {
    private static final Duration T = Duration.ofSeconds(10);

    private Promoter() {
    }

    /**
     * @param vm the running promoted guest (owns QEMU; the caller closes it)
     * @param epoch the epoch it continues from
     * @param promoteMs from spawning QEMU until {@code cont} returned
     */
    public record Promotion(QemuVm vm, long epoch, long promoteMs) {
    }

    /** @param shadowConfig the primary's config as seen on the shadow host ({@link QemuConfig#onHost}) */
    public static Promotion promote(QemuConfig shadowConfig, ShadowReplica replica) {
        return promote(shadowConfig, replica.promotable());
    }

    /**
     * Promotes from a sync sink's replica: {@code ramFile} holds epoch {@code epoch} and {@code criticalBlob} is that
     * epoch's critical blob (a {@link DeviceStateBlob}); a corrupted or truncated blob is refused before QEMU starts.
     */
    public static Promotion promote(QemuConfig shadowConfig, Path ramFile, long epoch, byte[] criticalBlob) {
        DeviceStateBlob.verify(criticalBlob, criticalBlob.length, epoch, "sync replica " + ramFile + " epoch " + epoch);
        return promote(shadowConfig, new ShadowReplica.Promotable(epoch, ramFile,
                java.util.Arrays.copyOfRange(criticalBlob, DeviceStateBlob.HEADER_BYTES, criticalBlob.length)));
    }

    private static Promotion promote(QemuConfig shadowConfig, ShadowReplica.Promotable p) {
        long t0 = System.nanoTime();
        QemuVm vm = QemuVm.startIncoming(shadowConfig, p.ramFile());
        try {
            QmpClient qmp = vm.qmp();
            ObjectNode caps = QmpClient.args();
            caps.putArray("capabilities").addObject().put("capability", "x-ignore-shared").put("state", true);
            qmp.execute("migrate-set-capabilities", caps, T);
            Path in = shadowConfig.runDir().resolve("in.sock");
            qmp.execute("migrate-incoming", QmpClient.args().put("uri", "unix:" + in), T);
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(in));
                ByteBuffer b = ByteBuffer.wrap(p.migrationStream());
                while (b.hasRemaining()) {
                    c.write(b);
                }
            }
            long deadline = System.nanoTime() + T.toNanos();
            while (true) {
                JsonNode m = qmp.execute("query-migrate", T);
                String status = m.path("status").asText();
                if (status.equals("completed")) {
                    break;
                }
                if (status.equals("failed") || !vm.lifecycle().equals(io.shadowvm.hypervisor.qemu.VmLifecycle.PAUSED)) {
                    throw new HypervisorException("QEMU refused the device state of epoch " + p.epoch() + ": "
                            + m.path("error-desc").asText(status) + " (" + vm.stderrTail() + ")");
                }
                if (System.nanoTime() > deadline) {
                    throw new HypervisorException("incoming migration of epoch " + p.epoch() + " still '" + status + "' after " + T.toMillis() + " ms");
                }
                LockSupport.parkNanos(100_000);
            }
            vm.resume();
            return new Promotion(vm, p.epoch(), (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            String tail = vm.stderrTail();
            vm.close();
            if (e instanceof HypervisorException he) {
                throw he;
            }
            throw new HypervisorException("promotion of epoch " + p.epoch() + " failed: " + e.getMessage() + " (" + tail + ")", e);
        }
    }
}
