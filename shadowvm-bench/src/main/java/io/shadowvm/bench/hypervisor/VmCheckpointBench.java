package io.shadowvm.bench.hypervisor;

import io.shadowvm.core.time.NanoClock;
import io.shadowvm.hypervisor.checkpoint.DirtyTracking;
import io.shadowvm.hypervisor.checkpoint.EpochAck;
import io.shadowvm.hypervisor.checkpoint.EpochLink;
import io.shadowvm.hypervisor.checkpoint.EpochResult;
import io.shadowvm.hypervisor.checkpoint.GuestRam;
import io.shadowvm.hypervisor.checkpoint.Promoter;
import io.shadowvm.hypervisor.checkpoint.QemuCheckpointer;
import io.shadowvm.hypervisor.checkpoint.ReplicaSink;
import io.shadowvm.hypervisor.checkpoint.ShadowReplica;
import io.shadowvm.hypervisor.checkpoint.SoftDirtyTracker;
import io.shadowvm.hypervisor.drill.GuestHttp;
import io.shadowvm.hypervisor.qemu.Accel;
import io.shadowvm.hypervisor.qemu.GuestImage;
import io.shadowvm.hypervisor.qemu.QemuConfig;
import io.shadowvm.hypervisor.qemu.QemuVm;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Real-QEMU checkpoint benchmark. For each guest RAM size and workload (idle, dirtying), one guest is booted and
 * checkpointed {@code --epochs} times per tracker (HASH_SCAN, COPY_DIFF, SOFT_DIRTY when the kernel has it) into a
 * replica over loopback TCP, then {@code --epochs} times with the baseline (the whole RAM copied in the pause and
 * shipped whole); the last replica is promoted once to time promotion. Prints one line per (size, workload,
 * method) with pause p50/p99 and parts, device-state bytes, wire bytes per epoch, and ratios to the baseline.
 *
 * <pre>
 * java -cp 'shadowvm-bench/target/shadowvm-bench-0.1.0-SNAPSHOT.jar:shadowvm-bench/target/lib/*' \
 *   io.shadowvm.bench.hypervisor.VmCheckpointBench --sizes 128,256 --epochs 10 --epoch-ms 100 --dirty-mib 16
 * </pre>
 * Add {@code --output-commit} to also measure the request latency cost of holding output until the epoch's ack.
 */
public final class VmCheckpointBench {
    private VmCheckpointBench() {
    }

    record Row(int mib, String workload, String method, double p50, double p99, double stop, double dev, double dirty, double cont,
               long devBytes, long wirePerEpoch, long pages) {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = {128, 256};
        int epochs = 10;
        int epochMs = 100;
        int dirtyMib = 16;
        boolean outputCommit = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--epoch-ms" -> epochMs = Integer.parseInt(args[++i]);
                case "--dirty-mib" -> dirtyMib = Integer.parseInt(args[++i]);
                case "--output-commit" -> outputCommit = true;
                case "--only-output-commit" -> {
                    outputCommit = true;
                    sizes = new int[0];
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--sizes 128,256 --epochs N --epoch-ms MS --dirty-mib M --output-commit)");
            }
        }
        GuestImage image = GuestImage.build();
        List<DirtyTracking> trackers = new ArrayList<>(List.of(DirtyTracking.HASH_SCAN, DirtyTracking.COPY_DIFF));
        if (SoftDirtyTracker.supported()) {
            trackers.add(0, DirtyTracking.SOFT_DIRTY);
        } else {
            System.out.println("# SOFT_DIRTY skipped: this kernel (" + System.getProperty("os.version") + ") has no CONFIG_MEM_SOFT_DIRTY");
        }
        System.out.printf("# %d epochs of %d ms per method; the first (bootstrap) epoch of each method is excluded; load %s%n",
                epochs, epochMs, Files.readString(Path.of("/proc/loadavg")).strip());
        List<Row> rows = new ArrayList<>();
        for (int mib : sizes) {
            for (int dirty : new int[] {0, Math.min(dirtyMib, mib / 4)}) {
                rows.addAll(runGuest(image, mib, dirty, epochs, epochMs, trackers));
            }
        }
        if (!rows.isEmpty()) {
            printTable(rows);
        }
        if (outputCommit) {
            outputCommit(image, epochMs);
        }
    }

    private static void printTable(List<Row> rows) {
        System.out.println();
        System.out.println("| RAM MiB | workload | method | pause p50 ms | pause p99 ms | stop | devstate | dirty+copy | cont | devstate B | wire B/epoch | pages/epoch | pause vs full copy | wire vs full copy |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            Row base = rows.stream().filter(b -> b.mib == r.mib && b.workload.equals(r.workload) && b.method.equals("FULL_COPY")).findFirst().orElse(r);
            System.out.printf(Locale.ROOT, "| %d | %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d | %d | %.2fx | %.4fx |%n",
                    r.mib, r.workload, r.method, r.p50, r.p99, r.stop, r.dev, r.dirty, r.cont, r.devBytes, r.wirePerEpoch, r.pages,
                    r.p50 / base.p50, (double) r.wirePerEpoch / base.wirePerEpoch);
        }
    }

    private static List<Row> runGuest(GuestImage image, int mib, int dirty, int epochs, int epochMs, List<DirtyTracking> trackers) throws Exception {
        Path run = Files.createTempDirectory("svm-bench-");
        QemuConfig cfg = new QemuConfig("bench-" + mib + "-" + dirty, mib, QemuConfig.DEFAULT_RAM_DIR, run.resolve("p"), image, dirty, 500,
                freePort(), Accel.AUTO, false, null, null);
        List<Row> rows = new ArrayList<>();
        String workload = dirty == 0 ? "idle" : "dirty " + dirty + " MiB";
        try (QemuVm vm = QemuVm.boot(cfg)) {
            new GuestHttp(null, cfg.hostPort()).await("/cgi-bin/state", Duration.ofSeconds(120));
            for (DirtyTracking t : trackers) {
                rows.add(measure(vm, cfg, t, epochs, epochMs, workload, false));
            }
            rows.add(measure(vm, cfg, null, epochs, epochMs, workload, true));
        } finally {
            deleteTree(run);
        }
        return rows;
    }

    /** {@code tracking == null}: the baseline, every page of RAM copied in the pause and sent raw. */
    private static Row measure(QemuVm vm, QemuConfig cfg, DirtyTracking tracking, int epochs, int epochMs, String workload,
                               boolean promoteAfter) {
        Path rdir = cfg.runDir().resolve("replica-" + (tracking == null ? "full" : tracking.name()));
        Path rram = cfg.ramDir().resolve(cfg.name() + "-bench-shadow.ram");
        long[] pause = new long[epochs];
        long stop = 0, dev = 0, dirty = 0, cont = 0, devBytes = 0, wire = 0, pages = 0;
        int n = 0;
        try (ShadowReplica replica = ShadowReplica.open(rdir, rram, cfg.memoryBytes());
             ReplicaSink sink = new ReplicaSink(replica, "127.0.0.1");
             EpochLink link = new EpochLink(sink.address());
             QemuCheckpointer ckpt = new QemuCheckpointer(vm, tracking == null ? DirtyTracking.HASH_SCAN : tracking, NanoClock.SYSTEM)) {
            GuestRam full = tracking == null ? GuestRam.openWritable(cfg.ramDir().resolve(cfg.name() + "-fullcopy.ram"), cfg.memoryBytes()) : null;
            long next = System.nanoTime();
            for (int e = 0; e <= epochs; e++) {
                next += epochMs * 1_000_000L;
                while (next - System.nanoTime() > 0) {
                    LockSupport.parkNanos(next - System.nanoTime());
                }
                EpochResult r;
                long frameBytes;
                if (full == null) {
                    r = ckpt.checkpoint(e, null);
                    frameBytes = r.frameBytes();
                    EpochAck ack = link.ship(ckpt.frame().buffer(), ckpt.frame().length());
                    if (!ack.acked()) {
                        throw new IllegalStateException("epoch refused: " + ack.reason());
                    }
                } else {
                    r = fullCopy(vm, ckpt, full, e);
                    frameBytes = cfg.memoryBytes() + r.devStateBytes();
                }
                if (e == 0) {
                    continue; // bootstrap epoch: every page
                }
                pause[n++] = r.pauseUs();
                stop += r.stopUs();
                dev += r.devStateUs();
                dirty += r.dirtyUs();
                cont += r.contUs();
                devBytes += r.devStateBytes();
                wire += frameBytes;
                pages += r.dirtyPages();
            }
            if (full != null) {
                Files.deleteIfExists(full.file());
            }
            if (promoteAfter) {
                promoteOnce(vm, cfg, tracking);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                Files.deleteIfExists(rram);
            } catch (IOException e) {
                // best effort
            }
        }
        Arrays.sort(pause, 0, n);
        String method = tracking == null ? "FULL_COPY" : tracking.name();
        Row row = new Row(cfg.memoryMib(), workload, method, pause[(int) Math.ceil(0.5 * n) - 1] / 1000.0,
                pause[(int) Math.ceil(0.99 * n) - 1] / 1000.0, stop / 1000.0 / n, dev / 1000.0 / n, dirty / 1000.0 / n, cont / 1000.0 / n,
                devBytes / n, wire / n, pages / n);
        System.out.println(row);
        return row;
    }

    /** The baseline's pause: stop, device state, copy of all RAM, cont (timed like the others). */
    private static EpochResult fullCopy(QemuVm vm, QemuCheckpointer ckpt, GuestRam dst, long epoch) {
        long t0 = System.nanoTime();
        vm.pause();
        long t1 = System.nanoTime();
        int devBytes = ckpt.saveDeviceState();
        long t2 = System.nanoTime();
        ckpt.ram().copyAllTo(dst);
        long t3 = System.nanoTime();
        vm.resume();
        long t4 = System.nanoTime();
        return new EpochResult(epoch, (t1 - t0) / 1000, (t2 - t1) / 1000, (t3 - t2) / 1000, 0, (t4 - t3) / 1000, (t4 - t0) / 1000, 0,
                ckpt.ram().pages(), devBytes, 0);
    }

    private static void promoteOnce(QemuVm vm, QemuConfig cfg, DirtyTracking unused) throws IOException {
        // a separate short replica just for timing promotion: one epoch of the running guest
        Path rdir = cfg.runDir().resolve("replica-promote");
        Path rram = cfg.ramDir().resolve(cfg.name() + "-promote.ram");
        try (ShadowReplica replica = ShadowReplica.open(rdir, rram, cfg.memoryBytes());
             ReplicaSink sink = new ReplicaSink(replica, "127.0.0.1");
             EpochLink link = new EpochLink(sink.address());
             QemuCheckpointer ckpt = new QemuCheckpointer(vm, DirtyTracking.HASH_SCAN, NanoClock.SYSTEM)) {
            ckpt.checkpoint(0, null);
            link.ship(ckpt.frame().buffer(), ckpt.frame().length());
            sink.stop();
            QemuConfig shadow = cfg.onHost(cfg.runDir().resolve("s"), freePort(), null);
            Promoter.Promotion p = Promoter.promote(shadow, replica);
            try (QemuVm promoted = p.vm()) {
                System.out.printf(Locale.ROOT, "# promotion of a %d MiB guest: %d ms (spawn -> QMP -> migrate-incoming -> cont)%n",
                        cfg.memoryMib(), p.promoteMs());
            }
        } finally {
            try {
                Files.deleteIfExists(rram);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    private static void outputCommit(GuestImage image, int epochMs) throws Exception {
        Path run = Files.createTempDirectory("svm-bench-oc-");
        QemuConfig cfg = new QemuConfig("bench-oc", 128, QemuConfig.DEFAULT_RAM_DIR, run.resolve("p"), image, 0, 500, freePort(),
                Accel.AUTO, true, null, null);
        Path rram = cfg.ramDir().resolve("bench-oc-shadow.ram");
        try (QemuVm vm = QemuVm.boot(cfg);
             ShadowReplica replica = ShadowReplica.open(run.resolve("r"), rram, cfg.memoryBytes());
             ReplicaSink sink = new ReplicaSink(replica, "127.0.0.1");
             EpochLink link = new EpochLink(sink.address());
             QemuCheckpointer ckpt = new QemuCheckpointer(vm, DirtyTracking.HASH_SCAN, NanoClock.SYSTEM)) {
            GuestHttp http = new GuestHttp(null, cfg.hostPort());
            http.await("/cgi-bin/state", Duration.ofSeconds(120));
            double off = latencies(http, ckpt, link, epochMs, false);
            ckpt.holdOutput();
            double on = latencies(http, ckpt, link, epochMs, true);
            System.out.printf(Locale.ROOT, "# output commit: request latency p50 %.1f ms held vs %.1f ms not held (%.1fx) at %d ms epochs%n",
                    on, off, on / off, epochMs);
        } finally {
            Files.deleteIfExists(rram);
            deleteTree(run);
        }
    }

    /** Runs epochs on this thread while another thread times 20 sequential HTTP requests; returns their p50 in ms. */
    private static double latencies(GuestHttp http, QemuCheckpointer ckpt, EpochLink link, int epochMs, boolean held) throws Exception {
        long[] lat = new long[20];
        Thread client = new Thread(() -> {
            for (int i = 0; i < lat.length; i++) {
                long t = System.nanoTime();
                http.get("/cgi-bin/incr", Duration.ofSeconds(30));
                lat[i] = System.nanoTime() - t;
            }
        });
        client.start();
        long next = System.nanoTime();
        while (client.isAlive()) {
            next += epochMs * 1_000_000L;
            while (next - System.nanoTime() > 0) {
                LockSupport.parkNanos(next - System.nanoTime());
            }
            // ship inside the pause: the held output is released only after the shadow acknowledged this epoch
            ckpt.checkpoint(ocEpoch++, held ? link : null);
            if (held && !ckpt.lastAck().acked()) {
                throw new IllegalStateException("epoch " + (ocEpoch - 1) + " refused: " + ckpt.lastAck().reason());
            }
            if (!held) {
                link.ship(ckpt.frame().buffer(), ckpt.frame().length());
            }
        }
        client.join();
        Arrays.sort(lat);
        return lat[lat.length / 2] / 1e6;
    }

    private static long ocEpoch;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
