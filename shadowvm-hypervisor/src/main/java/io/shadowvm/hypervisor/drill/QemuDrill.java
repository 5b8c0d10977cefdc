package io.shadowvm.hypervisor.drill;

import io.shadowvm.core.time.NanoClock;
import io.shadowvm.hypervisor.HypervisorException;
import io.shadowvm.hypervisor.checkpoint.DeviceStateBlob;
import io.shadowvm.hypervisor.checkpoint.DirtyTracking;
import io.shadowvm.hypervisor.checkpoint.EpochAck;
import io.shadowvm.hypervisor.checkpoint.EpochFrame;
import io.shadowvm.hypervisor.checkpoint.EpochLink;
import io.shadowvm.hypervisor.checkpoint.EpochResult;
import io.shadowvm.hypervisor.checkpoint.Promoter;
import io.shadowvm.hypervisor.checkpoint.QemuCheckpointer;
import io.shadowvm.hypervisor.checkpoint.ReplicaSink;
import io.shadowvm.hypervisor.checkpoint.ServingClone;
import io.shadowvm.hypervisor.checkpoint.ShadowReplica;
import io.shadowvm.hypervisor.checkpoint.SoftDirtyTracker;
import io.shadowvm.hypervisor.qemu.Accel;
import io.shadowvm.hypervisor.qemu.GuestConsole;
import io.shadowvm.hypervisor.qemu.GuestImage;
import io.shadowvm.hypervisor.qemu.QemuConfig;
import io.shadowvm.hypervisor.qemu.QemuVm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The QEMU failover drill: boot the test guest (it rewrites {@code dirtyMib} of memory in a loop), write to its
 * key-value page over HTTP before every epoch, checkpoint it every {@code epochMs} into a replica behind a TCP
 * sink, SIGKILL the primary mid-epoch (after one more write that no epoch carries), promote the replica (in a
 * fresh network namespace when root), and compare: heartbeat counter, boot id, key-value page.
 */
public final class QemuDrill {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);

    private QemuDrill() {
    }

    public static DrillOutcome run(DrillOptions o, Consumer<String> log) {
        GuestImage image = GuestImage.build();
        String name = "drill-" + ProcessHandle.current().pid();
        Path root;
        try {
            root = Files.createTempDirectory("svm-");
        } catch (IOException e) {
            throw new HypervisorException("cannot create a drill directory: " + e.getMessage(), e);
        }
        QemuConfig cfg = new QemuConfig(name, o.memoryMib(), QemuConfig.DEFAULT_RAM_DIR, root.resolve("p"), image, o.dirtyMib(),
                100, freePort(), o.accel(), false, null, null);
        QemuVm primary = null;
        QemuVm promoted = null;
        ShadowReplica replica = null;
        ReplicaSink sink = null;
        io.shadowvm.sync.SyncSink syncSink = null;
        io.shadowvm.sync.SyncSource syncSource = null;
        io.shadowvm.sync.region.MappedFileRegion region = null;
        NetNs ns = null;
        ServingClone clone = null;
        List<DrillOutcome.CloneCheck> clones = new ArrayList<>();
        try {
            log.accept("booting " + name + " (" + o.memoryMib() + " MiB, dirtying " + o.dirtyMib() + " MiB)");
            primary = QemuVm.boot(cfg);
            GuestHttp http = new GuestHttp(null, cfg.hostPort());
            String bootId = GuestHttp.parse(http.await("/cgi-bin/state", BOOT_TIMEOUT)).get("boot_id");
            log.accept("guest up on " + primary.accel() + ", boot_id " + bootId);

            DirtyTracking tracking = effectiveTracking(o.tracking(), primary.accel());
            log.accept("dirty tracking: " + tracking + (tracking != o.tracking() ? " (" + o.tracking() + " unavailable: "
                    + (primary.accel() == Accel.KVM ? "KVM guest writes bypass the host page tables" : "kernel without CONFIG_MEM_SOFT_DIRTY") + ")" : "")
                    + ", transport " + o.transport());
            Path shadowRam = cfg.ramDir().resolve(name + "-shadow.ram");
            Loop loop = new Loop(o, log);
            long promotableEpoch;
            byte[] promotableBlob = null;
            if (o.transport() == EpochTransport.BUILTIN) {
                replica = ShadowReplica.open(root.resolve("replica"), shadowRam, cfg.memoryBytes());
                sink = new ReplicaSink(replica, "127.0.0.1");
                try (EpochLink link = new EpochLink(sink.address());
                     QemuCheckpointer ckpt = new QemuCheckpointer(primary, tracking, NanoClock.SYSTEM)) {
                    for (int e = 0; e < o.epochs(); e++) {
                        loop.workload(http, e);
                        long epochNo = loop.acked + 1;
                        EpochResult r = ckpt.checkpoint(epochNo, null);
                        if (o.corruptLastEpoch() && e == o.epochs() - 1) {
                            corruptDeviceState(ckpt.frame().buffer(), ckpt.frame().length());
                        }
                        EpochAck ack = link.ship(ckpt.frame().buffer(), ckpt.frame().length());
                        if (!ack.acked()) {
                            ckpt.retainDirty();
                        }
                        loop.record(r, ack.acked() ? ack.epoch() : -1, ack.reason(), ckpt.serialBytesAtPause(), r.frameBytes(), 0);
                    }
                }
                sink.stop();
                promotableEpoch = -1;
            } else {
                syncSink = io.shadowvm.sync.SyncSink.start(new io.shadowvm.sync.SyncSink.Context()
                        .listen(new InetSocketAddress("127.0.0.1", 0)).replica(shadowRam).createSizeBytes(cfg.memoryBytes()).durable(false));
                io.shadowvm.sync.dirty.DirtyTracker st = tracking == DirtyTracking.SOFT_DIRTY
                        ? io.shadowvm.sync.dirty.SoftDirtyTracker.forMappedFile(primary.pid(), primary.ramFile())
                        : new io.shadowvm.sync.dirty.HashScanTracker();
                region = io.shadowvm.sync.region.MappedFileRegion.openReadOnly(primary.ramFile());
                syncSource = io.shadowvm.sync.SyncSource.start(new io.shadowvm.sync.SyncSource.Context()
                        .region(region).tracker(st).shadows(List.of(syncSink.localAddress())));
                if (!syncSource.awaitShadowsReady(Duration.ofSeconds(30))) {
                    throw new HypervisorException("the sync sink at " + syncSink.localAddress() + " did not become ready within 30 s: "
                            + syncSource.shadowStatus());
                }
                try (QemuCheckpointer ckpt = new QemuCheckpointer(primary, null, NanoClock.SYSTEM)) {
                    long wireBefore = 0;
                    for (int e = 0; e < o.epochs(); e++) {
                        loop.workload(http, e);
                        long epochNo = e + 1;
                        QemuCheckpointer.SyncEpoch se = ckpt.checkpointToSync(epochNo, syncSource);
                        // the bootstrap epoch carries every non-zero page: give it longer on a loaded machine
                        Duration ackWait = Duration.ofSeconds(e == 0 ? 150 : 60);
                        boolean acked = syncSource.awaitAcked(se.ticket(), ackWait);
                        long wireNow = syncSource.stats().wireBytes();
                        loop.record(se.result(), acked ? epochNo : -1, acked ? "" : "not acknowledged within " + ackWait.toSeconds() + " s",
                                ckpt.serialBytesAtPause(), wireNow - wireBefore, 0);
                        wireBefore = wireNow;
                        if (o.servingClones() && acked && (e == 1 || e == 3)) {
                            ServingClone next = startClone(cfg, root, syncSink, clones.size(), loop.expected, clones, log);
                            if (clone != null) {
                                clone.close(); // traffic now goes to `next`; the old clone is drained and killed
                            }
                            clone = next;
                        }
                    }
                }
                promotableEpoch = loop.acked;
            }
            if (loop.acked < 0) {
                throw new HypervisorException("drill: the shadow acknowledged no epoch: " + loop.refusals);
            }
            http.get("/cgi-bin/kv?lost=after-last-ack", Duration.ofSeconds(10));
            String primaryLog = GuestConsole.read(primary.serialLog());
            primary.kill();
            log.accept("primary SIGKILLed; last acked epoch " + loop.acked);
            if (syncSource != null) {
                syncSource.close();
                syncSource = null;
                io.shadowvm.sync.AppliedEpoch ae = syncSink.newestEpoch();
                syncSink.close();
                syncSink = null;
                if (ae == null || ae.epoch() != promotableEpoch) {
                    throw new HypervisorException("sync sink holds epoch " + (ae == null ? "none" : ae.epoch()) + " (expected: " + promotableEpoch + ")");
                }
                promotableBlob = ae.criticalBytes();
            }

            if (o.useNetns() && NetNs.available()) {
                ns = NetNs.create("svm-" + ProcessHandle.current().pid());
            }
            QemuConfig shadowCfg = cfg.onHost(root.resolve("s"), freePort(), ns == null ? null : ns.name());
            Promoter.Promotion pr = promotableBlob == null ? Promoter.promote(shadowCfg, replica)
                    : Promoter.promote(shadowCfg, shadowRam, promotableEpoch, promotableBlob);
            promoted = pr.vm();
            log.accept("promoted epoch " + pr.epoch() + " in " + pr.promoteMs() + " ms" + (ns == null ? "" : " in netns " + ns.name()));
            GuestHttp shttp = new GuestHttp(ns == null ? null : ns.name(), shadowCfg.hostPort());
            Map<String, String> state = GuestHttp.parse(shttp.await("/cgi-bin/state", Duration.ofSeconds(30)));
            Map<String, String> kv = GuestHttp.parse(shttp.get("/cgi-bin/kv", Duration.ofSeconds(10)));
            String shadowLog = awaitHeartbeat(promoted.serialLog(), Duration.ofSeconds(20));

            String prefix = primaryLog.substring(0, (int) Math.min(loop.offsetAtAck, primaryLog.length()));
            long counterAtAck = GuestConsole.lastCounter(prefix);
            long counterAfter = firstCounterAfter(prefix + shadowLog, prefix.length());
            boolean sameBoot = bootId != null && bootId.equals(state.get("boot_id"));
            boolean resumed = GuestConsole.boots(shadowLog) == 0 && sameBoot && counterAfter == counterAtAck + 1;
            DrillReport report = new DrillReport("qemu", loop.results.size(), loop.acked,
                    DrillReport.percentileMs(loop.pausesUs, loop.steady, 50), DrillReport.percentileMs(loop.pausesUs, loop.steady, 99),
                    loop.steady == 0 ? 0 : loop.devBytes / loop.steady, loop.steady == 0 ? 0 : loop.wireBytes / loop.steady, pr.promoteMs(),
                    counterAtAck, counterAfter, resumed);
            return new DrillOutcome(report, loop.results, loop.refusals, loop.expected, kv, state, bootId, ns == null ? null : ns.name(),
                    loop.bootstrapMs, clones);
        } finally {
            closeQuietly(promoted);
            closeQuietly(primary);
            if (clone != null) {
                clone.close();
            }
            if (sink != null) {
                sink.stop();
            }
            if (replica != null) {
                replica.delete();
            }
            if (syncSource != null) {
                syncSource.close();
            }
            if (syncSink != null) {
                syncSink.close();
            }
            if (region != null) {
                region.close();
            }
            deleteShadowFiles(cfg.ramDir(), name + "-shadow.ram");
            if (ns != null) {
                ns.close();
            }
            deleteTree(root);
        }
    }

    /** Starts a serving clone from the sink's newest epoch on a private RAM copy and records what it serves. */
    private static ServingClone startClone(QemuConfig cfg, Path root, io.shadowvm.sync.SyncSink sink, int n,
                                           Map<String, String> expected, List<DrillOutcome.CloneCheck> out, Consumer<String> log) {
        Path priv = cfg.ramDir().resolve(cfg.name() + "-clone" + n + ".ram");
        // copy while no epoch is being applied, so the copy and the critical blob are the same epoch
        io.shadowvm.sync.AppliedEpoch ae = sink.withConsistentReplica(r -> {
            ServingClone.copyReplica(sink.replicaFile(), priv);
            return sink.newestEpoch();
        });
        long t0 = System.nanoTime();
        ServingClone c = ServingClone.start(cfg.onHost(root.resolve("c" + n), freePort(), null), priv, ae.epoch(), ae.criticalBytes(),
                System.currentTimeMillis());
        Map<String, String> served = GuestHttp.parse(new GuestHttp(null, c.port()).await("/cgi-bin/kv", Duration.ofSeconds(30)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        out.add(new DrillOutcome.CloneCheck(ae.epoch(), c.port(), new LinkedHashMap<>(expected), served, ms));
        log.accept("serving clone " + n + " from epoch " + ae.epoch() + " on port " + c.port() + " serving after " + ms + " ms: " + served);
        return c;
    }

    /** The epoch loop's bookkeeping: workload writes, what each acked epoch contains, pause statistics. */
    private static final class Loop {
        final DrillOptions o;
        final Consumer<String> log;
        final List<EpochResult> results = new ArrayList<>();
        final List<String> refusals = new ArrayList<>();
        final Map<String, String> written = new LinkedHashMap<>();
        Map<String, String> expected = Map.of();
        final long[] pausesUs;
        long devBytes;
        long wireBytes;
        int steady;
        long acked = -1;
        long offsetAtAck;
        double bootstrapMs;
        long next = System.nanoTime();
        boolean first = true;

        Loop(DrillOptions o, Consumer<String> log) {
            this.o = o;
            this.log = log;
            this.pausesUs = new long[o.epochs()];
        }

        /** One client write per epoch, then wait for the epoch's tick. */
        void workload(GuestHttp http, int e) {
            next += o.epochMs() * 1_000_000L;
            http.get("/cgi-bin/kv?k" + e + "=v" + e, Duration.ofSeconds(10));
            written.put("k" + e, "v" + e);
            parkUntil(next);
        }

        void record(EpochResult r, long ackedEpoch, String reason, long serialOffset, long wire, int unused) {
            results.add(r);
            if (ackedEpoch >= 0) {
                acked = ackedEpoch;
                offsetAtAck = serialOffset;
                expected = new LinkedHashMap<>(written);
                if (first) {
                    bootstrapMs = r.pauseUs() / 1000.0;
                } else {
                    pausesUs[steady++] = r.pauseUs();
                    devBytes += r.devStateBytes();
                    wireBytes += wire;
                }
                first = false;
            } else {
                refusals.add(reason);
            }
            log.accept(String.format("epoch %d %s: pause %.1f ms (stop %.1f, devstate %.1f, dirty %.1f, cont %.1f), %d pages, %d wire bytes",
                    r.epoch(), ackedEpoch >= 0 ? "acked" : "REFUSED (" + reason + ")", r.pauseUs() / 1000.0, r.stopUs() / 1000.0,
                    r.devStateUs() / 1000.0, r.dirtyUs() / 1000.0, r.contUs() / 1000.0, r.dirtyPages(), wire));
        }
    }

    private static void deleteShadowFiles(Path dir, String prefix) {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s.filter(p -> p.getFileName().toString().startsWith(prefix))::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // nothing to clean
        }
    }

    /** SOFT_DIRTY needs the kernel feature and TCG (KVM writes bypass the host PTEs); HASH_SCAN is the fallback. */
    public static DirtyTracking effectiveTracking(DirtyTracking wanted, Accel accel) {
        if (wanted == DirtyTracking.SOFT_DIRTY && (accel == Accel.KVM || !SoftDirtyTracker.supported())) {
            return DirtyTracking.HASH_SCAN;
        }
        return wanted;
    }

    /** Flips one payload byte of the frame's device-state blob and re-seals the frame, as a faulty source would. */
    static void corruptDeviceState(byte[] frame, int len) {
        int devLen = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getInt(28);
        int at = EpochFrame.HEADER_BYTES + DeviceStateBlob.HEADER_BYTES + Math.min(64, devLen - DeviceStateBlob.HEADER_BYTES - 1);
        frame[at] ^= 0x5A;
        CRC32C crc = new CRC32C();
        crc.update(frame, EpochFrame.HEADER_BYTES, len - EpochFrame.HEADER_BYTES);
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(36, (int) crc.getValue());
    }

    /** The heartbeat of the first console line that ends after {@code offset} (the promoted guest's first). */
    static long firstCounterAfter(String text, int offset) {
        int start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
        List<Long> c = GuestConsole.counters(text.substring(start));
        return c.isEmpty() ? -1 : c.get(0);
    }

    private static String awaitHeartbeat(Path serial, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String s = GuestConsole.read(serial);
            if (GuestConsole.counters(s).size() >= 2 || System.nanoTime() > deadline) {
                return s;
            }
            LockSupport.parkNanos(50_000_000L);
        }
    }

    private static void parkUntil(long deadlineNs) {
        long left;
        while ((left = deadlineNs - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new HypervisorException("no free TCP port: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(QemuVm vm) {
        if (vm != null) {
            vm.close();
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a leftover temp directory is harmless, a leftover QEMU is not (closed above)
        }
    }
}
