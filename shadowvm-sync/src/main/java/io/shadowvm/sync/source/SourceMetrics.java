package io.shadowvm.sync.source;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shadowvm.sync.SourceStats;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * What a sync source counts: the Micrometer meters named in {@code docs/sync.md}, plus the totals and
 * latency histograms behind {@link SourceStats}. Written by the {@link SenderAgent}'s thread only; the
 * totals are atomics and the histograms synchronized so that {@link #stats()} may be read from any thread.
 */
final class SourceMetrics {
    private static final long MAX_US = 3_600_000_000L;
    /** Counter of epochs a sink's validator rejected. */
    static final String REJECTED_METER = "shadowvm.sync.epochs.rejected";

    private final MeterRegistry registry;
    private final AtomicLong epochs = new AtomicLong();
    private final AtomicLong rawDirtyBytes = new AtomicLong();
    private final AtomicLong wireBytes = new AtomicLong();
    private final AtomicLong lastAcked = new AtomicLong();
    private final AtomicLong lengthened = new AtomicLong();
    private final AtomicLong cacheHitPermille = new AtomicLong();
    private final Histogram pauseUs = new SynchronizedHistogram(MAX_US, 3);
    private final Histogram lagUs = new SynchronizedHistogram(MAX_US, 3);
    private final Counter epochCounter;
    private final Counter dirtyCounter;
    private final Counter wireCounter;
    private final Counter lengthenedCounter;
    private final Counter rejectedCounter;
    private final Timer pauseTimer;
    private final Timer scanTimer;
    private final Timer encodeTimer;
    private final Timer sendTimer;
    private long encodeNs; // of the shared epoch being encoded; owner thread only

    SourceMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.epochCounter = Counter.builder("shadowvm.sync.epochs").description("epochs taken").register(registry);
        this.dirtyCounter = Counter.builder("shadowvm.sync.dirty.bytes").description("raw bytes of changed pages").register(registry);
        this.wireCounter = Counter.builder("shadowvm.sync.wire.bytes").description("bytes written to shadows").register(registry);
        this.lengthenedCounter = Counter.builder("shadowvm.sync.epochs.lengthened")
            .description("epochs that started late because the previous one was still being sent").register(registry);
        this.rejectedCounter = Counter.builder(REJECTED_METER)
            .description("epochs a sink's validator rejected (ERROR EPOCH_REJECTED): never applied there").register(registry);
        this.pauseTimer = Timer.builder("shadowvm.sync.pause").description("takeEpoch: scan + copy with the guest paused").register(registry);
        this.scanTimer = Timer.builder("shadowvm.sync.scan").description("dirty tracking part of the pause").register(registry);
        this.encodeTimer = Timer.builder("shadowvm.sync.encode").description("delta + compression time per epoch").register(registry);
        this.sendTimer = Timer.builder("shadowvm.sync.send").description("take to fully written, per epoch").register(registry);
        Gauge.builder("shadowvm.sync.cache.hit.ratio", cacheHitPermille, v -> v.get() / 1000.0).register(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    void epochTaken(long pauseNs, long scanNs, long dirtyBytes) {
        pauseTimer.record(pauseNs, TimeUnit.NANOSECONDS);
        scanTimer.record(scanNs, TimeUnit.NANOSECONDS);
        pauseUs.recordValue(Math.min(pauseNs / 1000, MAX_US));
        epochs.incrementAndGet();
        epochCounter.increment();
        rawDirtyBytes.addAndGet(dirtyBytes);
        dirtyCounter.increment((double) dirtyBytes);
    }

    void encoded(long ns) {
        encodeNs += ns;
    }

    void cacheLookups(long hits, long misses) {
        long lookups = hits + misses;
        if (lookups > 0) {
            cacheHitPermille.set(hits * 1000 / lookups);
        }
    }

    void written(long bytes) {
        wireBytes.addAndGet(bytes);
        wireCounter.increment(bytes);
    }

    /** A shared epoch is fully written: its encode time and take-to-written time are recorded. */
    void sharedEpochSent(long takeToWrittenNs) {
        encodeTimer.record(encodeNs, TimeUnit.NANOSECONDS);
        encodeNs = 0;
        sendTimer.record(takeToWrittenNs, TimeUnit.NANOSECONDS);
    }

    void acked(long lagNs) {
        lagUs.recordValue(Math.min(lagNs / 1000, MAX_US));
    }

    void ackedByAll(long epoch) {
        lastAcked.set(epoch);
    }

    void lengthened() {
        lengthened.incrementAndGet();
        lengthenedCounter.increment();
    }

    /** A sink refused the stream with {@code code}; an {@code EPOCH_REJECTED} is counted. */
    void rejectedBySink(io.shadowvm.sync.wire.ErrorCode code) {
        if (code == io.shadowvm.sync.wire.ErrorCode.EPOCH_REJECTED) {
            rejectedCounter.increment();
        }
    }

    SourceStats stats() {
        return new SourceStats(epochs.get(), lastAcked.get(), rawDirtyBytes.get(), wireBytes.get(),
            percentileMs(pauseUs, 50), percentileMs(pauseUs, 99), percentileMs(lagUs, 99), lengthened.get());
    }

    private static double percentileMs(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
