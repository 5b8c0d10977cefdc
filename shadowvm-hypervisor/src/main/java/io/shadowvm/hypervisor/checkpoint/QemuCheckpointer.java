package io.shadowvm.hypervisor.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.hypervisor.HypervisorException;
import io.shadowvm.hypervisor.qemu.QemuVm;
import io.shadowvm.hypervisor.qmp.QmpClient;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Takes Remus-style epoch checkpoints of one QEMU guest. Per epoch, inside one pause: {@code stop} → device state
 * through {@code migrate} to a Unix socket this class listens on ({@code x-ignore-shared}: the shared RAM file is
 * skipped) → dirty pages ({@link PageTracker}) copied into the {@link EpochFrame} → [output commit: ship, wait for
 * the ack, release the held output] → {@code cont}. Without output commit the frame is shipped after {@code cont}
 * by the caller. Single-threaded: one caller thread drives it.
 */
public final class QemuCheckpointer implements AutoCloseable, ShadowingAgent.Checkpointable {
    private static final Duration T = Duration.ofSeconds(10);

    private final QemuVm vm;
    private final NanoClock clock;
    private final GuestRam ram;
    private final PageTracker tracker;
    private final long[] dirty;
    private final EpochFrame frame = new EpochFrame();
    private final Path devSocket;
    private final ServerSocketChannel devServer;
    private byte[] devBuf = new byte[1 << 20];
    private byte[] lastBlob = new byte[0];
    private boolean outputHeld;

    /** @param mode this class's own page tracker, or null when epochs go through sync */
    public QemuCheckpointer(QemuVm vm, DirtyTracking mode, NanoClock clock) {
        this.vm = vm;
        this.clock = clock;
        QmpClient qmp = vm.qmp();
        ObjectNode caps = QmpClient.args();
        ArrayNode list = caps.putArray("capabilities");
        list.addObject().put("capability", "x-ignore-shared").put("state", true);
        qmp.execute("migrate-set-capabilities", caps, T);
        qmp.execute("migrate-set-parameters", QmpClient.args().put("max-bandwidth", 64L << 30), T);
        this.ram = GuestRam.openReadOnly(vm.ramFile(), vm.config().memoryBytes());
        // null: epochs go through sync (checkpoint(long, SyncSource)), whose tracker finds the dirty pages
        this.tracker = mode == null ? null : PageTrackers.create(mode, ram, vm.pid(), vm.config().ramDir(), vm.config().name());
        this.dirty = new long[(ram.pages() + 63) >>> 6];
        this.devSocket = vm.config().runDir().resolve("dev.sock");
        try {
            Files.deleteIfExists(devSocket);
            devServer = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            devServer.bind(UnixDomainSocketAddress.of(devSocket));
            devServer.configureBlocking(false);
        } catch (IOException e) {
            throw new HypervisorException("cannot listen for device state on " + devSocket + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts holding the guest's network output (needs {@code outputCommit} in the VM's config). Output commit uses
     * two QEMU {@code filter-buffer}s in a chain: {@code fbc} collects what the guest sends during an epoch; in the
     * epoch's pause its content is moved into {@code fbh} (flushing a filter passes its packets to the next filter);
     * after {@code cont} and the shadow's ack, {@code fbh} is flushed to the network. Packets of the next epoch stay in
     * {@code fbc}, so nothing leaves before the epoch that produced it is acknowledged.
     */
    public void holdOutput() {
        if (!vm.config().outputCommit()) {
            throw new HypervisorException("VM " + vm.config().name() + " was started without outputCommit; no filter-buffer to hold output");
        }
        setBuffer("fbh", "on");
        setBuffer("fbc", "on");
        outputHeld = true;
    }

    /** Releases everything held for acknowledged epochs (not the running epoch's output). */
    @Override
    public void releaseOutput() {
        setBuffer("fbh", "off");
        setBuffer("fbh", "on");
    }

    /** In the pause: the epoch's output moves from the collecting buffer to the holding one. */
    private void sealEpochOutput() {
        setBuffer("fbc", "off");
        setBuffer("fbc", "on");
    }

    private void setBuffer(String id, String status) {
        vm.qmp().execute("qom-set", QmpClient.args().put("path", id).put("property", "status").put("value", status), T);
    }

    /**
     * Checkpoints one epoch. With {@code link} non-null (output commit), the epoch is shipped and acknowledged inside
     * the pause and the held output is released before {@code cont}; the ack is then in {@link #lastAck()}.
     */
    public EpochResult checkpoint(long epoch, EpochLink link) {
        if (tracker == null) {
            throw new HypervisorException("this checkpointer ships through sync; it has no page tracker of its own");
        }
        if (!retainDirty) {
            Arrays.fill(dirty, 0L);
        }
        retainDirty = false;
        long t0 = clock.nanoTime();
        vm.pause();
        serialBytesAtPause = serialSize();
        long t1 = clock.nanoTime();
        int devLen = captureDeviceState();
        lastBlob = DeviceStateBlob.wrap(epoch, devBuf, devLen);
        long t2 = clock.nanoTime();
        int n = tracker.collectInPause(dirty);
        boolean deferred = n < 0;
        int frameLen = 0;
        if (!deferred) {
            frameLen = frame.encode(epoch, lastBlob, tracker.pageSource(), dirty);
        }
        tracker.rearmInPause();
        if (outputHeld) {
            sealEpochOutput();
        }
        long t3 = clock.nanoTime();
        long shipUs = 0;
        lastAck = null;
        if (link != null) {
            if (deferred) {
                throw new HypervisorException("output commit needs a tracker that copies in the pause (SOFT_DIRTY or HASH_SCAN)");
            }
            lastAck = link.ship(frame.buffer(), frameLen);
            shipUs = (clock.nanoTime() - t3) / 1000;
        }
        long t4 = clock.nanoTime();
        vm.resume();
        long t5 = clock.nanoTime();
        if (lastAck != null && lastAck.acked() && outputHeld) {
            releaseOutput();
        }
        if (deferred) {
            n = tracker.collectAfterResume(dirty);
            frameLen = frame.encode(epoch, lastBlob, tracker.pageSource(), dirty);
        }
        long t6 = clock.nanoTime();
        return new EpochResult(epoch, (t1 - t0) / 1000, (t2 - t1) / 1000, (t3 - t2) / 1000, shipUs, (t5 - t4) / 1000,
                (t5 - t0) / 1000, (t6 - t5) / 1000, n, lastBlob.length, frameLen);
    }

    /**
     * Checkpoints one epoch into the State Synchronization Engine: inside the pause, the device state (wrapped as a
     * {@link DeviceStateBlob}, the epoch's critical blob) and the sync source's scan and copy of the dirty pages;
     * the epoch ships after {@code cont}. Sync numbers epochs from 1 per source; {@code epoch} must be that number.
     *
     * @return the timings, and the ticket whose {@code acked()} says when every shadow applied it
     */
    public SyncEpoch checkpointToSync(long epoch, io.shadowvm.sync.SyncSource source) {
        return checkpointToSync(epoch, source, null);
    }

    /**
     * As {@link #checkpointToSync(long, io.shadowvm.sync.SyncSource)}, with {@code tag} (may be null) put before the
     * device-state blob in the critical blob: the critical blob is {@code tag ++ DeviceStateBlob}. A caller that
     * numbers epochs across sync streams (the agent's VM epoch) carries its number this way.
     */
    public SyncEpoch checkpointToSync(long epoch, io.shadowvm.sync.SyncSource source, byte[] tag) {
        long t0 = clock.nanoTime();
        vm.pause();
        serialBytesAtPause = serialSize();
        long t1 = clock.nanoTime();
        int devLen = captureDeviceState();
        lastBlob = DeviceStateBlob.wrap(epoch, devBuf, devLen);
        byte[] critical = lastBlob;
        if (tag != null && tag.length > 0) {
            critical = new byte[tag.length + lastBlob.length];
            System.arraycopy(tag, 0, critical, 0, tag.length);
            System.arraycopy(lastBlob, 0, critical, tag.length, lastBlob.length);
        }
        long t2 = clock.nanoTime();
        io.shadowvm.sync.EpochTicket ticket;
        try {
            ticket = source.takeEpoch(critical);
        } catch (RuntimeException e) {
            vm.resume(); // a sync failure must not leave the guest stopped
            throw e;
        }
        if (outputHeld) {
            sealEpochOutput();
        }
        if (ticket.epoch() != epoch) {
            vm.resume();
            throw new HypervisorException("sync numbered the epoch " + ticket.epoch() + " (expected: " + epoch + ")");
        }
        long t3 = clock.nanoTime();
        vm.resume();
        long t4 = clock.nanoTime();
        return new SyncEpoch(new EpochResult(epoch, (t1 - t0) / 1000, (t2 - t1) / 1000, (t3 - t2) / 1000, 0, (t4 - t3) / 1000,
                (t4 - t0) / 1000, 0, (int) ticket.dirtyPages(), lastBlob.length, 0), ticket);
    }

    @Override
    public SyncEpoch takePaused(long epoch, io.shadowvm.sync.SyncSource source) {
        return checkpointToSync(epoch, source);
    }

    @Override
    public boolean holdsOutput() {
        return outputHeld;
    }

    /** A checkpoint handed to sync: its timings and sync's ticket. */
    public record SyncEpoch(EpochResult result, io.shadowvm.sync.EpochTicket ticket) {
    }

    private EpochAck lastAck;
    private boolean retainDirty;
    private long serialBytesAtPause;

    /**
     * The shadow refused the last epoch: its dirty pages are carried into the next checkpoint (which must reuse the
     * refused epoch's number), so the shadow misses nothing.
     */
    public void retainDirty() {
        retainDirty = true;
    }

    /** Bytes of the guest's serial log when the last pause began: the console output that belongs to the epoch. */
    public long serialBytesAtPause() {
        return serialBytesAtPause;
    }

    private long serialSize() {
        try {
            return Files.size(vm.serialLog());
        } catch (IOException e) {
            return -1;
        }
    }

    /** The ack received inside the last pause (output commit), or null. */
    public EpochAck lastAck() {
        return lastAck;
    }

    /** The last encoded frame (valid until the next checkpoint). */
    public EpochFrame frame() {
        return frame;
    }

    /**
     * Saves the device state of the paused guest (for baselines that copy RAM themselves) and returns its size in
     * bytes; the guest must be paused.
     */
    public int saveDeviceState() {
        return captureDeviceState();
    }

    /** Runs {@code migrate} to our Unix socket and reads QEMU's device-state stream into {@link #devBuf}. */
    private int captureDeviceState() {
        QmpClient qmp = vm.qmp();
        qmp.execute("migrate", QmpClient.args().put("uri", "unix:" + devSocket), T);
        long deadline = clock.nanoTime() + T.toNanos();
        int len = 0;
        try (SocketChannel c = acceptBefore(deadline)) {
            while (true) {
                if (len == devBuf.length) {
                    if (devBuf.length >= DeviceStateBlob.MAX_PAYLOAD_BYTES) {
                        throw new HypervisorException("device state of VM " + vm.config().name() + " exceeds "
                                + DeviceStateBlob.MAX_PAYLOAD_BYTES + " bytes");
                    }
                    devBuf = Arrays.copyOf(devBuf, devBuf.length * 2);
                }
                int r = c.read(ByteBuffer.wrap(devBuf, len, devBuf.length - len));
                if (r < 0) {
                    break;
                }
                len += r;
            }
        } catch (IOException e) {
            throw new HypervisorException("device-state stream of VM " + vm.config().name() + " failed: " + e.getMessage(), e);
        }
        while (true) {
            JsonNode m = qmp.execute("query-migrate", T);
            String status = m.path("status").asText();
            if (status.equals("completed")) {
                return len;
            }
            if (status.equals("failed") || status.equals("cancelled")) {
                throw new HypervisorException("device-state migration of VM " + vm.config().name() + " " + status + ": "
                        + m.path("error-desc").asText(""));
            }
            if (clock.nanoTime() > deadline) {
                throw new HypervisorException("device-state migration of VM " + vm.config().name() + " still '" + status
                        + "' after " + T.toMillis() + " ms");
            }
            LockSupport.parkNanos(50_000);
        }
    }

    private SocketChannel acceptBefore(long deadline) throws IOException {
        while (true) {
            SocketChannel c = devServer.accept();
            if (c != null) {
                c.configureBlocking(true);
                return c;
            }
            if (clock.nanoTime() > deadline) {
                throw new HypervisorException("QEMU of VM " + vm.config().name() + " did not connect to " + devSocket
                        + " within " + T.toMillis() + " ms (" + vm.stderrTail() + ")");
            }
            LockSupport.parkNanos(20_000);
        }
    }

    public GuestRam ram() {
        return ram;
    }

    public QemuVm vm() {
        return vm;
    }

    @Override
    public void close() {
        if (tracker != null) {
            tracker.close();
        }
        try {
            devServer.close();
            Files.deleteIfExists(devSocket);
        } catch (IOException e) {
            throw new HypervisorException("cannot close " + devSocket + ": " + e.getMessage(), e);
        }
    }
}
