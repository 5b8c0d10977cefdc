package io.shadowvm.sync.load;

import io.shadowvm.sync.EpochTicket;
import io.shadowvm.sync.SourceStats;
import io.shadowvm.sync.SyncException;
import io.shadowvm.sync.SyncSink;
import io.shadowvm.sync.SyncSource;
import io.shadowvm.sync.codec.Compression;
import io.shadowvm.sync.dirty.HashScanTracker;
import io.shadowvm.sync.dirty.WriteTrackingRegion;
import io.shadowvm.sync.region.HeapRegion;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * One source and one sink in this process over loopback TCP: a bootstrap epoch (not measured), then
 * {@code epochs} epochs that each dirty {@code dirtyPercent}% of the pages with a {@link WritePattern}, one
 * every {@code epochMs} (0 = back to back). Reports bytes on the wire vs raw dirty bytes, take → ack latency
 * percentiles, the sustained epoch rate and the process CPU time per epoch (source and sink together).
 */
public final class LoopbackBenchmark {
    /** Benchmark settings. */
    public record Config(long regionMiB, double dirtyPercent, WritePattern pattern, int epochs, long epochMs,
                         Compression compression, long seed, boolean hashScan) {
        /** With write tracking (the writer goes through the region API). */
        public Config(long regionMiB, double dirtyPercent, WritePattern pattern, int epochs, long epochMs,
                      Compression compression, long seed) {
            this(regionMiB, dirtyPercent, pattern, epochs, epochMs, compression, seed, false);
        }

        public Config {
            if (regionMiB < 1 || regionMiB > 64 * 1024) {
                throw new SyncException("invalid region size: " + regionMiB + " MiB (expected: 1-65536)");
            }
            if (!(dirtyPercent > 0 && dirtyPercent <= 100)) {
                throw new SyncException("invalid dirty percent: " + dirtyPercent + " (expected: > 0 and <= 100)");
            }
            if (epochs < 1) {
                throw new SyncException("invalid epoch count: " + epochs + " (expected: >= 1)");
            }
            if (epochMs < 0) {
                throw new SyncException("invalid epoch interval: " + epochMs + " ms (expected: >= 0)");
            }
        }
    }

    /** Results; {@link #toJson()} is what {@code shadowvm sync bench --json} prints. */
    public record Result(Config config, long rawDirtyBytes, long wireBytes, double reduction, double wireVsRawPercent,
                         double epochP50Ms, double epochP99Ms, double epochsPerSec, double pauseP50Ms,
                         double cpuMsPerEpoch, double encodeMBps) {
        public String toJson() {
            return String.format(Locale.ROOT,
                "{\"regionMiB\":%d,\"dirtyPercent\":%s,\"pattern\":\"%s\",\"epochs\":%d,\"epochMs\":%d,\"compress\":\"%s\","
                    + "\"tracker\":\"%s\","
                    + "\"rawDirtyBytes\":%d,\"wireBytes\":%d,\"reduction\":%.2f,\"wireVsRawPercent\":%.2f,"
                    + "\"epochP50Ms\":%.2f,\"epochP99Ms\":%.2f,\"p99OverP50\":%.2f,\"epochsPerSec\":%.2f,"
                    + "\"pauseP50Ms\":%.2f,\"cpuMsPerEpoch\":%.2f}",
                config.regionMiB(), trim(config.dirtyPercent()), config.pattern().name().toLowerCase(Locale.ROOT),
                config.epochs(), config.epochMs(), config.compression().name().toLowerCase(Locale.ROOT),
                config.hashScan() ? "hash-scan" : "write-tracking", rawDirtyBytes, wireBytes, reduction, wireVsRawPercent, epochP50Ms, epochP99Ms,
                epochP50Ms == 0 ? 0 : epochP99Ms / epochP50Ms, epochsPerSec, pauseP50Ms, cpuMsPerEpoch);
        }

        private static String trim(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }

    private LoopbackBenchmark() {
    }

    public static Result run(Config c) {
        Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path work;
        try {
            work = Files.createTempDirectory(dir, "shadowvm-sync-bench");
        } catch (IOException e) {
            throw new SyncException("cannot create a scratch directory in " + dir + ": " + e.getMessage(), e);
        }
        try {
            return run(c, work.resolve("replica.ram"));
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // scratch files in a temp directory; nothing else to do
            }
        }
    }

    private static Result run(Config c, Path replica) {
        WriteTrackingRegion region = new WriteTrackingRegion(new HeapRegion(c.regionMiB() << 20));
        c.pattern().fill(region, c.seed());
        long dirtyPages = Math.max(1, Math.round(region.pageCount() * c.dirtyPercent() / 100.0));
        SplittableRandom rnd = new SplittableRandom(c.seed() + 1);
        byte[] scratch = new byte[4096];
        Histogram latencyUs = new Histogram(3_600_000_000L, 3);
        try (SyncSink sink = SyncSink.start(new SyncSink.Context().replica(replica).createSizeBytes(region.sizeBytes()));
             SyncSource source = SyncSource.start(new SyncSource.Context().region(region).compression(c.compression())
                 .tracker(c.hashScan() ? new HashScanTracker() : region)
                 .shadows(List.of(sink.localAddress())))) {
            if (!source.awaitShadowsReady(Duration.ofSeconds(30))) {
                throw new SyncException("sink did not answer within 30 s: " + source.shadowStatus());
            }
            EpochTicket boot = source.takeEpoch(new byte[0]);
            await(source, boot);
            SourceStats before = source.stats();
            long cpuBefore = cpuNs();
            long startNs = System.nanoTime();
            long nextNs = startNs;
            EpochTicket previous = null;
            EpochTicket beforePrevious = null;
            for (int e = 1; e <= c.epochs(); e++) {
                c.pattern().dirty(region, dirtyPages, e, rnd, scratch);
                if (c.epochMs() > 0) {
                    nextNs += TimeUnit.MILLISECONDS.toNanos(c.epochMs());
                    while (System.nanoTime() < nextNs) {
                        java.util.concurrent.locks.LockSupport.parkNanos(Math.max(1000, nextNs - System.nanoTime()));
                    }
                }
                if (previous != null) {
                    previous.shipped().join(); // epochs lengthen rather than pile up (as EpochLoop does)
                }
                if (beforePrevious != null) {
                    try {
                        beforePrevious.acked().get(120, TimeUnit.SECONDS);
                    } catch (Exception ex) {
                        throw new SyncException("epoch " + beforePrevious.epoch() + " not acknowledged within 120 s: "
                            + source.shadowStatus(), ex);
                    }
                }
                long t0 = System.nanoTime();
                EpochTicket t = source.takeEpoch(new byte[0]);
                final long takenNs = t0;
                t.acked().thenRun(() -> {
                    synchronized (latencyUs) {
                        latencyUs.recordValue((System.nanoTime() - takenNs) / 1000);
                    }
                });
                beforePrevious = previous;
                previous = t;
            }
            await(source, previous);
            long elapsedNs = System.nanoTime() - startNs;
            long cpu = cpuNs() - cpuBefore;
            SourceStats after = source.stats();
            long raw = after.rawDirtyBytes() - before.rawDirtyBytes();
            long wire = after.wireBytes() - before.wireBytes();
            synchronized (latencyUs) {
                return new Result(c, raw, wire, wire == 0 ? 0 : (double) raw / wire, raw == 0 ? 0 : 100.0 * wire / raw,
                    latencyUs.getValueAtPercentile(50) / 1000.0, latencyUs.getValueAtPercentile(99) / 1000.0,
                    c.epochs() / (elapsedNs / 1e9), after.pauseP50Ms(), cpu / 1e6 / c.epochs(), 0);
            }
        }
    }

    private static void await(SyncSource source, EpochTicket t) {
        if (!source.awaitAcked(t, Duration.ofSeconds(120))) {
            throw new SyncException("epoch " + t.epoch() + " not acknowledged within 120 s: " + source.shadowStatus());
        }
    }

    private static long cpuNs() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }
}
