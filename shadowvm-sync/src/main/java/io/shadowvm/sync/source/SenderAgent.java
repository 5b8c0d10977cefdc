package io.shadowvm.sync.source;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.shadowvm.core.agent.Agent;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.sync.EpochTicket;
import io.shadowvm.sync.SourceStats;
import io.shadowvm.sync.SyncException;
import io.shadowvm.sync.codec.BatchEncoder;
import io.shadowvm.sync.codec.Compression;
import io.shadowvm.sync.codec.PageCache;
import io.shadowvm.sync.dirty.DirtyTracker;
import io.shadowvm.sync.region.MemoryRegion;
import io.shadowvm.sync.wire.Critical;
import io.shadowvm.sync.wire.EpochBegin;
import io.shadowvm.sync.wire.EpochEnd;
import io.shadowvm.sync.wire.FrameHeader;
import io.shadowvm.sync.wire.FrameType;
import io.shadowvm.sync.wire.Hello;
import io.shadowvm.sync.wire.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The source's single owner of replication state, run by an {@code AgentRunner}. Other threads talk to it
 * through {@link #post}: {@link TakeEpoch} from the caller of {@code takeEpoch}, session events from Netty.
 *
 * <p>Per epoch it runs one <em>shared</em> job (the epoch's dirty pages, delta-encoded against the cache
 * once, every frame written to every LIVE shadow) and one <em>catch-up</em> job per shadow that is behind
 * (the pages it lacks, whole, from the same snapshot). Shared jobs run one at a time in epoch order; catch-up
 * jobs run beside them, one batch each per {@link #doWork()}, so a new shadow does not stall the others.
 * Frame order per job: EPOCH_BEGIN, CRITICAL chunks (critical state first), PAGE_BATCHes (pages of
 * critical ranges first), EPOCH_END.
 */
public final class SenderAgent implements Agent {
    /** Commands from other threads. */
    public sealed interface Command permits TakeEpoch, DropConnections, Shutdown { }

    public record TakeEpoch(byte[] critical, CompletableFuture<EpochTicket> result) implements Command { }

    public record DropConnections() implements Command { }

    public record Shutdown() implements Command { }

    /** Settings the agent needs; validated by {@code SyncSource.Context}. */
    public record Settings(long streamId, Compression compression, long cacheBytes, int batchPages, int deltaLimit,
                           long bandwidthBytesPerSec, long[] criticalRanges, boolean verify, long reconnectDelayMs,
                           int maxFrameLength, Transport transport, long stallTimeoutMs) { }

    private static final long OUTBOUND_HIGH_WATER = 16L << 20;

    private final MemoryRegion region;
    private final Settings settings;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final Queue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final List<ShadowSession> sessions = new ArrayList<>();
    private final EventLoopGroup group;
    private final Hello hello;

    private final PageBook book;
    private final PageCache cache;
    private final BatchEncoder encoder;
    private final TokenBucket bucket;
    private long lastTaken;

    // jobs
    private final ArrayDeque<ShipJob> shared = new ArrayDeque<>();
    private final List<ShipJob> catchUps = new ArrayList<>();
    private final ArrayDeque<EpochTicket> unacked = new ArrayDeque<>();
    private final ArrayDeque<long[]> takenAt = new ArrayDeque<>(); // {epoch, takenAtNs}
    private long lastStartedShared;
    /** Shared snapshots kept while a shadow is catching up, to bridge it to the newest started shared epoch. */
    private final ArrayDeque<EpochSnapshot> history = new ArrayDeque<>();
    private final List<ShipJob> pendingJobs = new ArrayList<>();

    private final SourceMetrics metrics;

    public SenderAgent(MemoryRegion region, DirtyTracker tracker, List<InetSocketAddress> shadows, Settings settings,
                       NanoClock nanoClock, EpochClock epochClock, MeterRegistry registry) {
        this.region = region;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.book = new PageBook(region, tracker, settings.criticalRanges());
        this.cache = new PageCache(settings.cacheBytes());
        this.encoder = new BatchEncoder(settings.batchPages(), settings.deltaLimit(), settings.compression());
        this.bucket = new TokenBucket(settings.bandwidthBytesPerSec(),
            Math.max(settings.bandwidthBytesPerSec() / 10, 64L << 10), nanoClock);
        this.hello = new Hello(settings.streamId(), region.sizeBytes(), MemoryRegion.PAGE_SIZE,
            settings.verify() ? Hello.FEATURE_VERIFY : 0);
        this.group = settings.transport().group(1, "shadowvm-sync-source-io");
        for (InetSocketAddress a : shadows) {
            sessions.add(new ShadowSession(a));
        }
        this.metrics = new SourceMetrics(registry);
        for (ShadowSession s : sessions) {
            Gauge.builder("shadowvm.sync.shadow.lag.epochs", s, x -> lastTaken - x.ackedEpoch).tag("shadow", s.name).register(registry);
            Gauge.builder("shadowvm.sync.shadow.lag.ms", s, x -> x.lagMs).tag("shadow", s.name).register(registry);
        }
    }

    public void post(Object command) {
        inbox.add(command);
    }

    @Override
    public String roleName() {
        return "sync-source";
    }

    @Override
    public void onStart() {
        for (ShadowSession s : sessions) {
            connect(s);
        }
    }

    @Override
    public void onClose() {
        for (ShadowSession s : sessions) {
            if (s.channel != null) {
                s.channel.close();
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        encoder.close();
        for (EpochTicket t : unacked) {
            t.acked().completeExceptionally(new SyncException("source closed before epoch " + t.epoch() + " was acknowledged"));
            t.shipped().completeExceptionally(new SyncException("source closed before epoch " + t.epoch() + " was sent"));
        }
    }

    @Override
    public int doWork() {
        int work = 0;
        Object cmd;
        while ((cmd = inbox.poll()) != null) {
            work++;
            handle(cmd);
        }
        if (!bucket.ready()) {
            return work;
        }
        ShipJob head = shared.peek();
        if (head != null) {
            work += step(head);
            if (head.finished) {
                shared.poll();
            }
        }
        for (Iterator<ShipJob> it = catchUps.iterator(); it.hasNext(); ) {
            ShipJob j = it.next();
            work += step(j);
            if (j.finished) {
                it.remove();
            }
        }
        if (!pendingJobs.isEmpty()) {
            catchUps.addAll(pendingJobs);
            pendingJobs.clear();
        }
        return work;
    }

    // ---------------------------------------------------------------- commands and events

    private void handle(Object cmd) {
        if (cmd instanceof TakeEpoch t) {
            try {
                t.result().complete(take(t.critical()));
            } catch (RuntimeException e) {
                t.result().completeExceptionally(e);
            }
        } else if (cmd instanceof DropConnections) {
            for (ShadowSession s : sessions) {
                if (s.channel != null) {
                    s.channel.close();
                }
            }
        } else if (cmd instanceof ShadowSession.SessionEvent e) {
            if (e.generation() == e.session().generation) {
                onEvent(e);
            }
        } else if (cmd instanceof Runnable r) {
            r.run();
        }
    }

    private void onEvent(ShadowSession.SessionEvent e) {
        ShadowSession s = e.session();
        if (e instanceof ShadowSession.Connected c) {
            s.channel = c.channel();
            s.moveTo(ShadowSession.State.HANDSHAKE);
        } else if (e instanceof ShadowSession.Resumed r) {
            onResumed(s, r);
        } else if (e instanceof ShadowSession.Acked a) {
            onAck(s, a.epoch());
        } else if (e instanceof ShadowSession.Rejected r) {
            s.lastError = r.message();
            metrics.rejectedBySink(r.code());
            lost(s, r.code().needsOperator());
        } else if (e instanceof ShadowSession.Disconnected d) {
            if (s.closeReason != null) {
                s.lastError = s.closeReason; // we closed it; later write failures are consequences
            } else if (d.cause() != null) {
                s.lastError = d.cause().getMessage() != null ? d.cause().getMessage() : d.cause().getClass().getSimpleName();
            }
            s.closeReason = null;
            lost(s, false);
        }
    }

    private void onResumed(ShadowSession s, ShadowSession.Resumed r) {
        s.sinkApplied = r.resume().appliedEpoch();
        if (r.hashes() == null && r.resume().replicaStreamId() == settings.streamId()
            && r.resume().appliedEpoch() <= lastTaken) {
            s.diffBase = r.resume().appliedEpoch();
            s.sinkHashes = null;
        } else {
            long[] hashes = r.hashes();
            if (hashes == null) {
                disconnect(s, "sink claims epoch " + r.resume().appliedEpoch() + " of this stream, newest taken is " + lastTaken);
                return;
            }
            // compared with the page hashes at the next epoch taken: exactly the pages that differ are sent
            s.sinkHashes = hashes;
        }
        if (r.resume().replicaStreamId() == settings.streamId()) {
            s.ackedEpoch = Math.max(s.ackedEpoch, s.sinkApplied);
        }
        s.moveTo(ShadowSession.State.READY);
    }

    private void disconnect(ShadowSession s, String why) {
        s.lastError = why;
        s.closeReason = why;
        if (s.channel != null) {
            s.channel.close();
        }
    }

    private void lost(ShadowSession s, boolean fatal) {
        s.generation++;
        s.channel = null;
        s.joinEpoch = Long.MAX_VALUE;
        s.sinkHashes = null;
        if (fatal) {
            s.moveTo(ShadowSession.State.FAILED);
            completeAcks();
            return;
        }
        s.moveTo(ShadowSession.State.CONNECTING);
        group.schedule(() -> post((Runnable) () -> connect(s)), settings.reconnectDelayMs(), TimeUnit.MILLISECONDS);
    }

    private void connect(ShadowSession s) {
        if (s.state != ShadowSession.State.CONNECTING) {
            return;
        }
        s.connect(group, settings.transport(), settings.maxFrameLength(), OUTBOUND_HIGH_WATER, hello, region, this::post);
    }

    private ShadowSession sessionOf(Channel ch) {
        for (ShadowSession s : sessions) {
            if (s.channel == ch) {
                return s;
            }
        }
        return null;
    }

    private void onAck(ShadowSession s, long epoch) {
        if (epoch <= s.ackedEpoch) {
            return;
        }
        s.ackedEpoch = epoch;
        long now = nanoClock.nanoTime();
        s.ackedAtNs = now;
        for (long[] t : takenAt) {
            if (t[0] == epoch) {
                long lag = now - t[1];
                s.lagMs = TimeUnit.NANOSECONDS.toMillis(lag);
                metrics.acked(lag);
                break;
            }
        }
        completeAcks();
    }

    private void completeAcks() {
        long min = Long.MAX_VALUE;
        boolean any = false;
        for (ShadowSession s : sessions) {
            if (s.state != ShadowSession.State.FAILED) {
                min = Math.min(min, s.ackedEpoch);
                any = true;
            }
        }
        if (!any) {
            SyncException e = new SyncException("every shadow refused the stream: " + errorsSummary());
            while (!unacked.isEmpty()) {
                EpochTicket t = unacked.poll();
                t.acked().completeExceptionally(e);
            }
            return;
        }
        metrics.ackedByAll(min);
        while (!unacked.isEmpty() && unacked.peek().epoch() <= min) {
            unacked.poll().acked().complete(null);
        }
        while (!takenAt.isEmpty() && takenAt.size() > 1024) {
            takenAt.poll();
        }
    }

    String errorsSummary() {
        StringBuilder b = new StringBuilder();
        for (ShadowSession s : sessions) {
            if (s.lastError != null) {
                b.append(b.length() == 0 ? "" : "; ").append(s.name).append(": ").append(s.lastError);
            }
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- taking an epoch (guest paused)

    private EpochTicket take(byte[] critical) {
        long t0 = nanoClock.nanoTime();
        long epoch = ++lastTaken;
        EpochSnapshot snap = book.begin(epoch, t0, epochClock.epochMillis(), critical, nanoClock);
        int dirtyCount = snap.dirtyCount;
        List<ShipJob> newCatchUps = new ArrayList<>();
        for (ShadowSession s : sessions) {
            if (s.state == ShadowSession.State.READY) {
                int[] slots = book.addLacking(snap, s);
                s.moveTo(ShadowSession.State.CATCHING_UP);
                s.catchUpEpoch = epoch;
                s.sinkHashes = null;
                newCatchUps.add(new ShipJob(snap, slots, slots.length, s));
            }
        }
        snap.digest = book.end(snap, settings.verify());
        long t2 = nanoClock.nanoTime();
        ShipJob sharedJob = new ShipJob(snap, snap.dirtySlots, dirtyCount, null);
        shared.add(sharedJob);
        catchUps.addAll(newCatchUps);
        snap.refs = 1 + newCatchUps.size();
        if (anyCatchingUp()) {
            snap.refs++;
            history.add(snap);
        }
        pruneHistory();

        long pauseNs = t2 - t0;
        metrics.epochTaken(pauseNs, book.scanNs(), (long) dirtyCount * MemoryRegion.PAGE_SIZE);
        takenAt.add(new long[] {epoch, t0});
        EpochTicket ticket = new EpochTicket(epoch, dirtyCount, pauseNs, new CompletableFuture<>(), new CompletableFuture<>());
        sharedJob.ticket = ticket;
        unacked.add(ticket);
        completeAcks();
        return ticket;
    }

    // ---------------------------------------------------------------- shipping

    private int step(ShipJob j) {
        if (!j.begun) {
            begin(j);
            return 1;
        }
        j.targets.removeIf(ch -> !ch.isActive());
        if (j.targets.isEmpty() && j.catchUpFor != null) {
            finish(j); // the shadow went away; it will catch up again after reconnecting
            return 1;
        }
        long now = nanoClock.nanoTime();
        for (Channel ch : j.targets) {
            ShadowSession s = sessionOf(ch);
            if (ch.isWritable()) {
                if (s != null) {
                    s.blockedSinceNs = 0;
                }
                continue;
            }
            // the slowest live shadow sets the pace of the shared pass, up to the stall timeout: then it is
            // disconnected (it resumes with a catch-up) so that it does not hold the others back
            if (s != null && j.catchUpFor == null && j.targets.size() > 1) {
                if (s.blockedSinceNs == 0) {
                    s.blockedSinceNs = now;
                } else if (now - s.blockedSinceNs > TimeUnit.MILLISECONDS.toNanos(settings.stallTimeoutMs())) {
                    s.blockedSinceNs = 0;
                    disconnect(s, "too slow: its socket buffer stayed full for over " + settings.stallTimeoutMs()
                        + " ms while other shadows waited; it resumes with a catch-up");
                    j.targets.remove(ch);
                    return 1;
                }
            }
            return 0;
        }
        if (j.next < j.count) {
            long t0 = nanoClock.nanoTime();
            PageCache c = j.catchUpFor == null ? cache : null;
            while (j.next < j.count && !encoder.isFull()) {
                int slot = j.slots[j.next++];
                if (encoder.add(j.snap.page(slot), j.snap.array(slot), j.snap.offset(slot), c) == null) {
                    continue;
                }
            }
            if (!encoder.isEmpty()) {
                j.pagesSent += encoder.pageCount();
                int len = encoder.finish();
                ByteBuf frame = FrameHeader.start(ByteBufAllocator.DEFAULT, FrameType.PAGE_BATCH, 0, len);
                frame.writeBytes(encoder.output(), 0, len);
                FrameHeader.seal(frame);
                j.batches++;
                metrics.encoded(nanoClock.nanoTime() - t0);
                write(j, frame);
            }
            metrics.cacheLookups(cache.hits(), cache.misses());
            return 1;
        }
        int flags = settings.verify() ? EpochEnd.FLAG_DIGEST : 0;
        write(j, new EpochEnd(j.snap.epoch, j.pagesSent, j.batches, j.snap.digest).encode(ByteBufAllocator.DEFAULT, flags));
        finish(j);
        return 1;
    }

    private void begin(ShipJob j) {
        j.begun = true;
        j.startNs = nanoClock.nanoTime();
        EpochSnapshot snap = j.snap;
        long base;
        int flags;
        if (j.catchUpFor == null) {
            lastStartedShared = snap.epoch;
            for (ShadowSession s : sessions) {
                if (s.state == ShadowSession.State.LIVE && s.joinEpoch <= snap.epoch && s.channel != null && s.channel.isActive()) {
                    j.targets.add(s.channel);
                }
            }
            base = snap.epoch - 1;
            flags = 0;
            if (j.targets.isEmpty()) {
                // Nobody to send to. The cache must still move to this epoch: every shadow that goes LIVE later
                // does so after a catch-up to this epoch or a newer one, so it will hold these versions.
                for (int i = 0; i < j.count; i++) {
                    int slot = j.slots[i];
                    cache.store(snap.page(slot), snap.array(slot), snap.offset(slot));
                }
                j.next = j.count;
                finish(j);
                return;
            }
        } else {
            ShadowSession s = j.catchUpFor;
            if (j.channel == null || j.channel != s.channel || !j.channel.isActive()) {
                finish(j); // made for a connection that is gone; the new one gets its own catch-up
                return;
            }
            j.targets.add(j.channel);
            base = j.base;
            flags = EpochBegin.FLAG_CATCH_UP;
        }
        write(j, new EpochBegin(snap.epoch, base, j.count, snap.critical.length, snap.takenAtMs)
            .encode(ByteBufAllocator.DEFAULT, flags));
        for (int off = 0; off < snap.critical.length; off += Critical.MAX_CHUNK_BYTES) {
            int len = Math.min(Critical.MAX_CHUNK_BYTES, snap.critical.length - off);
            write(j, Critical.encode(ByteBufAllocator.DEFAULT, off, snap.critical, off, len));
        }
    }

    private void write(ShipJob j, ByteBuf frame) {
        int len = frame.readableBytes();
        for (Channel ch : j.targets) {
            ch.writeAndFlush(frame.retainedDuplicate(), ch.voidPromise());
        }
        long total = (long) len * j.targets.size();
        frame.release();
        bucket.consume(total);
        metrics.written(total);
    }

    private void finish(ShipJob j) {
        j.finished = true;
        long now = nanoClock.nanoTime();
        if (j.catchUpFor == null) {
            metrics.sharedEpochSent(now - j.snap.takenAtNs);
            if (j.ticket != null) {
                j.ticket.shipped().complete(null);
            }
        } else {
            ShadowSession s = j.catchUpFor;
            if (s.state == ShadowSession.State.CATCHING_UP && s.catchUpEpoch == j.snap.epoch && s.channel != null
                && s.channel.isActive() && j.targets.contains(s.channel)) {
                if (lastStartedShared <= j.snap.epoch) {
                    s.moveTo(ShadowSession.State.LIVE);
                    s.joinEpoch = j.snap.epoch + 1;
                } else if (!bridge(s, j.snap.epoch)) {
                    // the snapshots to bridge with are gone: catch up again at the next epoch taken
                    s.moveTo(ShadowSession.State.READY);
                    s.diffBase = j.snap.epoch;
                    s.sinkApplied = j.snap.epoch;
                }
            }
        }
        j.snap.release();
        pruneHistory();
    }

    private boolean anyCatchingUp() {
        for (ShadowSession s : sessions) {
            if (s.state == ShadowSession.State.CATCHING_UP) {
                return true;
            }
        }
        return false;
    }

    /** Releases kept snapshots that no catching-up shadow can need (epochs at or below every catch-up). */
    private void pruneHistory() {
        long min = Long.MAX_VALUE;
        for (ShadowSession s : sessions) {
            if (s.state == ShadowSession.State.CATCHING_UP) {
                min = Math.min(min, s.catchUpEpoch);
            }
        }
        while (!history.isEmpty() && history.peek().epoch <= min) {
            history.poll().release();
        }
    }

    /**
     * A shadow finished catching up to {@code from}, but shared epochs up to {@code lastStartedShared} already
     * left without it: send it one more catch-up epoch made of the newest version of every page dirtied in
     * those epochs (from the kept snapshots), after which it can join the next shared epoch.
     */
    private boolean bridge(ShadowSession s, long from) {
        long to = lastStartedShared;
        EpochSnapshot b = book.bridge(history, history.descendingIterator(), from, to);
        if (b == null) {
            return false;
        }
        s.sinkApplied = from;
        s.catchUpEpoch = to;
        s.moveTo(ShadowSession.State.CATCHING_UP);
        pendingJobs.add(new ShipJob(b, b.dirtySlots, b.dirtyCount, s));
        return true;
    }

    /** Counts an epoch that started later than scheduled (bandwidth or encode could not keep up). */
    public void countLengthened() {
        metrics.lengthened();
    }

    public SourceStats stats() {
        return metrics.stats();
    }

    public MeterRegistry registry() {
        return metrics.registry();
    }

    /** True when every shadow has finished its handshake (or refused the stream): epochs taken now reach them. */
    public boolean shadowsReady() {
        return ask(() -> sessions.stream().allMatch(
            s -> s.state != ShadowSession.State.CONNECTING && s.state != ShadowSession.State.HANDSHAKE));
    }

    /** Per-shadow status lines, for logs and tests: name, state, acked epoch, last error. */
    public List<String> shadowStatus() {
        return ask(() -> sessions.stream()
            .map(s -> s.name + " " + s.state + " acked=" + s.ackedEpoch + (s.lastError == null ? "" : " error=" + s.lastError))
            .toList());
    }

    /** Answers a question about the agent's state on the agent's own thread (its state has one owner). */
    private <T> T ask(java.util.function.Supplier<T> question) {
        CompletableFuture<T> f = new CompletableFuture<>();
        post((Runnable) () -> f.complete(question.get()));
        return f.join();
    }
}
