package io.shadowvm.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowvm.core.agent.AgentRunner;
import io.shadowvm.core.agent.IdleStrategy;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.sync.codec.Compression;
import io.shadowvm.sync.dirty.DirtyTracker;
import io.shadowvm.sync.dirty.HashScanTracker;
import io.shadowvm.sync.region.MemoryRegion;
import io.shadowvm.sync.source.SenderAgent;
import io.shadowvm.sync.wire.FrameHeader;
import io.shadowvm.sync.wire.Transport;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The primary side of replication: takes consistent epochs of a {@link MemoryRegion} (plus an opaque
 * critical-state blob) and ships them asynchronously to one or more shadows' {@link SyncSink}s. See
 * docs/sync.md for the contract; in short:
 *
 * <pre>{@code
 * SyncSource source = SyncSource.start(new SyncSource.Context()
 *         .region(ram).tracker(new HashScanTracker()).shadows(List.of(shadowAddr)));
 * // per epoch, with the guest paused:
 * EpochTicket t = source.takeEpoch(deviceState);   // copies the dirty pages, returns
 * // resume the guest; later:
 * t.acked().get();                                  // every shadow has applied epoch t.epoch()
 * }</pre>
 *
 * {@link #takeEpoch} is the only method that needs the guest paused. Everything else is thread-safe.
 */
public final class SyncSource implements AutoCloseable {
    /** Configuration, validated once by {@link #conclude()}. Units are in the names. */
    public static final class Context {
        private MemoryRegion region;
        private DirtyTracker tracker;
        private final List<InetSocketAddress> shadows = new ArrayList<>();
        private Compression compression = Compression.LZ4;
        private long cacheBytes;
        private int batchPages = 256;
        private int deltaLimit = 2048;
        private long bandwidthBytesPerSec;
        private final List<long[]> criticalRanges = new ArrayList<>();
        private boolean verify;
        private long reconnectDelayMs = 200;
        private long stallTimeoutMs = 5000;
        private int maxFrameLength = FrameHeader.DEFAULT_MAX_FRAME_LENGTH;
        private NanoClock nanoClock = NanoClock.SYSTEM;
        private EpochClock epochClock = EpochClock.SYSTEM;
        private MeterRegistry registry;
        private Transport transport = Transport.best();
        private long streamId;
        private boolean ownsTracker;

        public Context region(MemoryRegion r) { this.region = r; return this; }
        /** Default: a {@link HashScanTracker#parallel()} (closed with the source). */
        public Context tracker(DirtyTracker t) { this.tracker = t; return this; }
        public Context shadows(List<InetSocketAddress> s) { this.shadows.clear(); this.shadows.addAll(s); return this; }
        public Context compression(Compression c) { this.compression = c; return this; }
        /** Size of the last-shipped page cache that deltas are computed against (default: min(region, 1 GiB)). */
        public Context cacheBytes(long n) { this.cacheBytes = n; return this; }
        public Context batchPages(int n) { this.batchPages = n; return this; }
        /** Deltas larger than this are sent RAW (default 2048 bytes). */
        public Context deltaLimit(int n) { this.deltaLimit = n; return this; }
        /** Cap on replication traffic over all shadows; 0 = unlimited. */
        public Context bandwidthBytesPerSec(long n) { this.bandwidthBytesPerSec = n; return this; }
        /** Pages {@code [firstPage, firstPage + pages)} are sent before other pages of each epoch. */
        public Context criticalPages(long firstPage, long pages) { this.criticalRanges.add(new long[] {firstPage, pages}); return this; }
        /** Send a whole-region digest with each epoch; sinks refuse an epoch whose result differs. */
        public Context verify(boolean v) { this.verify = v; return this; }
        public Context reconnectDelayMs(long ms) { this.reconnectDelayMs = ms; return this; }
        /** A live shadow whose socket stays full this long, while others wait, is disconnected (it catches up). */
        public Context stallTimeoutMs(long ms) { this.stallTimeoutMs = ms; return this; }
        public Context maxFrameLength(int n) { this.maxFrameLength = n; return this; }
        public Context nanoClock(NanoClock c) { this.nanoClock = c; return this; }
        public Context epochClock(EpochClock c) { this.epochClock = c; return this; }
        public Context meterRegistry(MeterRegistry r) { this.registry = r; return this; }
        public Context transport(Transport t) { this.transport = t; return this; }
        /** The stream id (default: random); epochs are numbered per stream. */
        public Context streamId(long id) { this.streamId = id; return this; }

        Context conclude() {
            Objects.requireNonNull(region, "region");
            if (shadows.isEmpty()) {
                throw new SyncException("no shadows to replicate to (expected: at least one HOST:PORT)");
            }
            if (batchPages < 1 || batchPages > 256) {
                throw new SyncException("invalid batchPages: " + batchPages + " (expected: 1-256, what sinks accept)");
            }
            long worst = 8L + (long) batchPages * io.shadowvm.sync.codec.BatchEncoder.MAX_ENTRY_BYTES;
            if (worst + 1024 > maxFrameLength) {
                throw new SyncException("batchPages " + batchPages + " needs frames of " + worst
                    + " bytes (expected: <= maxFrameLength " + maxFrameLength + ")");
            }
            if (deltaLimit < 16 || deltaLimit > 4096) {
                throw new SyncException("invalid deltaLimit: " + deltaLimit + " bytes (expected: 16-4096)");
            }
            if (bandwidthBytesPerSec < 0) {
                throw new SyncException("invalid bandwidth: " + bandwidthBytesPerSec + " B/s (expected: >= 0)");
            }
            if (cacheBytes == 0) {
                cacheBytes = Math.min(region.sizeBytes(), 1L << 30);
            }
            if (cacheBytes < 4096) {
                throw new SyncException("invalid cacheBytes: " + cacheBytes + " (expected: >= 4096)");
            }
            if (tracker == null) {
                tracker = HashScanTracker.parallel();
                ownsTracker = true;
            }
            if (registry == null) {
                registry = new SimpleMeterRegistry();
            }
            if (streamId == 0) {
                streamId = new SecureRandom().nextLong() | 1;
            }
            return this;
        }
    }

    private static final System.Logger LOG = System.getLogger(SyncSource.class.getName());
    private final java.util.List<Throwable> agentErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final SenderAgent agent;
    private final AgentRunner runner;
    private final long streamId;
    private final DirtyTracker ownedTracker;

    private SyncSource(Context ctx) {
        ctx.conclude();
        long[] ranges = new long[ctx.criticalRanges.size() * 2];
        for (int i = 0; i < ctx.criticalRanges.size(); i++) {
            ranges[2 * i] = ctx.criticalRanges.get(i)[0];
            ranges[2 * i + 1] = ctx.criticalRanges.get(i)[1];
        }
        this.streamId = ctx.streamId;
        this.ownedTracker = ctx.ownsTracker ? ctx.tracker : null;
        this.agent = new SenderAgent(ctx.region, ctx.tracker, List.copyOf(ctx.shadows),
            new SenderAgent.Settings(ctx.streamId, ctx.compression, ctx.cacheBytes, ctx.batchPages, ctx.deltaLimit,
                ctx.bandwidthBytesPerSec, ranges, ctx.verify, ctx.reconnectDelayMs, ctx.maxFrameLength, ctx.transport,
                ctx.stallTimeoutMs),
            ctx.nanoClock, ctx.epochClock, ctx.registry);
        this.runner = new AgentRunner(agent, IdleStrategy.backoff(10_000, 1_000_000), this::agentFailed);
    }

    /** Starts connecting to the shadows; epochs can be taken right away (shadows catch up when they connect). */
    public static SyncSource start(Context ctx) {
        SyncSource s = new SyncSource(ctx);
        s.runner.start();
        return s;
    }

    public long streamId() {
        return streamId;
    }

    /**
     * Takes an epoch: finds the dirty pages and copies them, with the critical blob, into the epoch. Call it
     * with the guest paused; when it returns, the guest may resume and the epoch ships in the background.
     * Blocks only for the scan and copy (the returned ticket's {@code pauseNs}).
     *
     * @param critical the critical-state blob of this epoch (e.g. QEMU device state); copied
     */
    public EpochTicket takeEpoch(byte[] critical) {
        CompletableFuture<EpochTicket> f = new CompletableFuture<>();
        agent.post(new SenderAgent.TakeEpoch(critical == null ? new byte[0] : critical.clone(), f));
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException("interrupted while taking an epoch");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new SyncException("cannot take epoch: " + e.getCause(), e.getCause());
        }
    }

    /** Waits until every live shadow acknowledged {@code ticket} (or a later epoch). */
    public boolean awaitAcked(EpochTicket ticket, Duration timeout) {
        try {
            ticket.acked().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new SyncException(e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Waits until every shadow has connected and said what it holds (or refused the stream), so the next epoch
     * reaches all of them. Polls every millisecond; returns false on timeout.
     */
    public boolean awaitShadowsReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!agent.shadowsReady()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    /** The newest epoch every live shadow has applied (0 when none). */
    public long lastAckedEpoch() {
        return agent.stats().lastAckedEpoch();
    }

    /** Records that an epoch started later than scheduled (see {@link EpochLoop}). */
    public void countLengthenedEpoch() {
        agent.countLengthened();
    }

    /**
     * Epochs a sink's {@link EpochValidator} rejected so far (counted once per rejection, summed over shadows;
     * Micrometer counter {@code shadowvm.sync.epochs.rejected}). The reason is in {@link #shadowStatus()}.
     */
    public long rejectedEpochs() {
        return (long) agent.registry().counter("shadowvm.sync.epochs.rejected").count();
    }

    public SourceStats stats() {
        return agent.stats();
    }

    public MeterRegistry meterRegistry() {
        return agent.registry();
    }

    /** One line per shadow: address, session state, acked epoch, last error. */
    public List<String> shadowStatus() {
        return agent.shadowStatus();
    }

    /** Unexpected failures of the sender agent (bugs; it keeps running). Empty in a healthy source. */
    public List<Throwable> agentErrors() {
        return List.copyOf(agentErrors);
    }

    private void agentFailed(Throwable t) {
        if (agentErrors.size() < 100) {
            agentErrors.add(t);
        }
        LOG.log(System.Logger.Level.ERROR, "sync sender agent failed (it keeps running)", t);
    }

    /** Closes every shadow connection (they reconnect and resume); for fault tests and operators. */
    public void dropConnections() {
        agent.post(new SenderAgent.DropConnections());
    }

    @Override
    public void close() {
        runner.close();
        if (ownedTracker != null) {
            ownedTracker.close();
        }
    }
}
