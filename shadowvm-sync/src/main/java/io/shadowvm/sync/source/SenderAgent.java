package io.shadowvm.sync.source;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
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
import io.shadowvm.sync.wire.ErrorCode;
import io.shadowvm.sync.wire.FrameDecoder;
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
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

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
    private final DirtyTracker tracker;
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
    private final ArrayDeque<Job> shared = new ArrayDeque<>();
    private final List<Job> catchUps = new ArrayList<>();
    private final ArrayDeque<EpochTicket> unacked = new ArrayDeque<>();
    private final ArrayDeque<long[]> takenAt = new ArrayDeque<>(); // {epoch, takenAtNs}
    private long lastStartedShared;
    /** Shared snapshots kept while a shadow is catching up, to bridge it to the newest started shared epoch. */
    private final ArrayDeque<EpochSnapshot> history = new ArrayDeque<>();
    private final List<Job> pendingJobs = new ArrayList<>();

    // statistics (read from other threads: atomics by type)
    private final java.util.concurrent.atomic.AtomicLong epochs = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong rawDirtyBytes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong wireBytes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lastAcked = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lengthened = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong cacheHitPermille = new java.util.concurrent.atomic.AtomicLong();
    private final Histogram pauseUs = new SynchronizedHistogram(3_600_000_000L, 3);
    private final Histogram lagUs = new SynchronizedHistogram(3_600_000_000L, 3);
    private final Counter epochCounter;
    private final Counter dirtyCounter;
    private final Counter wireCounter;
    private final Counter lengthenedCounter;
    private final Timer pauseTimer;
    private final Timer scanTimer;
    private final Timer encodeTimer;
    private final Timer sendTimer;
    private final MeterRegistry registry;
    private long encodeNs;

    public SenderAgent(MemoryRegion region, DirtyTracker tracker, List<InetSocketAddress> shadows, Settings settings,
                       NanoClock nanoClock, EpochClock epochClock, MeterRegistry registry) {
        this.region = region;
        this.tracker = tracker;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.registry = registry;
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
        this.epochCounter = Counter.builder("shadowvm.sync.epochs").description("epochs taken").register(registry);
        this.dirtyCounter = Counter.builder("shadowvm.sync.dirty.bytes").description("raw bytes of changed pages").register(registry);
        this.wireCounter = Counter.builder("shadowvm.sync.wire.bytes").description("bytes written to shadows").register(registry);
        this.lengthenedCounter = Counter.builder("shadowvm.sync.epochs.lengthened")
            .description("epochs that started late because the previous one was still being sent").register(registry);
        this.pauseTimer = Timer.builder("shadowvm.sync.pause").description("takeEpoch: scan + copy with the guest paused").register(registry);
        this.scanTimer = Timer.builder("shadowvm.sync.scan").description("dirty tracking part of the pause").register(registry);
        this.encodeTimer = Timer.builder("shadowvm.sync.encode").description("delta + compression time per epoch").register(registry);
        this.sendTimer = Timer.builder("shadowvm.sync.send").description("take to fully written, per epoch").register(registry);
        Gauge.builder("shadowvm.sync.cache.hit.ratio", cacheHitPermille, v -> v.get() / 1000.0).register(registry);
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
        Job head = shared.peek();
        if (head != null) {
            work += step(head);
            if (head.finished) {
                shared.poll();
            }
        }
        for (Iterator<Job> it = catchUps.iterator(); it.hasNext(); ) {
            Job j = it.next();
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
            boolean fatal = r.code() == ErrorCode.VERSION_MISMATCH || r.code() == ErrorCode.REGION_SIZE_MISMATCH
                || r.code() == ErrorCode.PROTOCOL;
            lost(s, fatal);
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
        int gen = ++s.generation;
        Bootstrap b = new Bootstrap().group(group).channel(settings.transport().socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, (int) OUTBOUND_HIGH_WATER))
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new FrameDecoder(settings.maxFrameLength()),
                        new ShadowSession.Handler(s, gen, hello, region, SenderAgent.this::post));
                }
            });
        ChannelFuture f = b.connect(s.address);
        f.addListener(r -> {
            if (!r.isSuccess()) {
                post(new ShadowSession.Disconnected(s, gen, r.cause()));
            }
        });
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
                lagUs.recordValue(Math.min(lag / 1000, lagUs.getHighestTrackableValue()));
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
        lastAcked.set(min);
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
        List<Job> newCatchUps = new ArrayList<>();
        for (ShadowSession s : sessions) {
            if (s.state == ShadowSession.State.READY) {
                int[] slots = book.addLacking(snap, s);
                s.moveTo(ShadowSession.State.CATCHING_UP);
                s.catchUpEpoch = epoch;
                s.sinkHashes = null;
                newCatchUps.add(new Job(snap, slots, slots.length, s));
            }
        }
        snap.digest = book.end(snap, settings.verify());
        long t2 = nanoClock.nanoTime();
        Job sharedJob = new Job(snap, snap.dirtySlots, dirtyCount, null);
        shared.add(sharedJob);
        catchUps.addAll(newCatchUps);
        snap.refs = 1 + newCatchUps.size();
        if (anyCatchingUp()) {
            snap.refs++;
            history.add(snap);
        }
        pruneHistory();

        long pauseNs = t2 - t0;
        pauseTimer.record(pauseNs, TimeUnit.NANOSECONDS);
        scanTimer.record(book.scanNs(), TimeUnit.NANOSECONDS);
        pauseUs.recordValue(Math.min(pauseNs / 1000, pauseUs.getHighestTrackableValue()));
        epochs.incrementAndGet();
        epochCounter.increment();
        rawDirtyBytes.addAndGet((long) dirtyCount * MemoryRegion.PAGE_SIZE);
        dirtyCounter.increment((double) dirtyCount * MemoryRegion.PAGE_SIZE);
        takenAt.add(new long[] {epoch, t0});
        EpochTicket ticket = new EpochTicket(epoch, dirtyCount, pauseNs, new CompletableFuture<>(), new CompletableFuture<>());
        sharedJob.ticket = ticket;
        unacked.add(ticket);
        completeAcks();
        return ticket;
    }

    // ---------------------------------------------------------------- shipping

    /** One epoch to a set of shadows: the shared pass (target = null, all LIVE shadows) or one catch-up. */
    private static final class Job {
        final EpochSnapshot snap;
        final int[] slots;
        final int count;
        final ShadowSession catchUpFor;
        final List<Channel> targets = new ArrayList<>();
        EpochTicket ticket;
        int next;
        boolean begun;
        boolean finished;
        long pagesSent;
        int batches;
        long startNs;

        /** For a catch-up: the connection and base epoch it was made for (a reconnect makes a new job). */
        final Channel channel;
        final long base;

        Job(EpochSnapshot snap, int[] slots, int count, ShadowSession catchUpFor) {
            this.snap = snap;
            this.slots = slots;
            this.count = count;
            this.catchUpFor = catchUpFor;
            this.channel = catchUpFor == null ? null : catchUpFor.channel;
            this.base = catchUpFor == null ? snap.epoch - 1 : catchUpFor.sinkApplied;
        }
    }

    private int step(Job j) {
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
                encodeNs += nanoClock.nanoTime() - t0;
                write(j, frame);
            }
            long lookups = cache.hits() + cache.misses();
            if (lookups > 0) {
                cacheHitPermille.set(cache.hits() * 1000 / lookups);
            }
            return 1;
        }
        int flags = settings.verify() ? EpochEnd.FLAG_DIGEST : 0;
        write(j, new EpochEnd(j.snap.epoch, j.pagesSent, j.batches, j.snap.digest).encode(ByteBufAllocator.DEFAULT, flags));
        finish(j);
        return 1;
    }

    private void begin(Job j) {
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

    private void write(Job j, ByteBuf frame) {
        int len = frame.readableBytes();
        for (Channel ch : j.targets) {
            ch.writeAndFlush(frame.retainedDuplicate(), ch.voidPromise());
        }
        long total = (long) len * j.targets.size();
        frame.release();
        bucket.consume(total);
        wireBytes.addAndGet(total);
        wireCounter.increment(total);
    }

    private void finish(Job j) {
        j.finished = true;
        long now = nanoClock.nanoTime();
        if (j.catchUpFor == null) {
            encodeTimer.record(encodeNs, TimeUnit.NANOSECONDS);
            encodeNs = 0;
            sendTimer.record(now - j.snap.takenAtNs, TimeUnit.NANOSECONDS);
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
        pendingJobs.add(new Job(b, b.dirtySlots, b.dirtyCount, s));
        return true;
    }

    /** Counts an epoch that started later than scheduled (bandwidth or encode could not keep up). */
    public void countLengthened() {
        lengthened.incrementAndGet();
        lengthenedCounter.increment();
    }

    public SourceStats stats() {
        return new SourceStats(epochs.get(), lastAcked.get(), rawDirtyBytes.get(), wireBytes.get(),
            pauseUs.getTotalCount() == 0 ? 0 : pauseUs.getValueAtPercentile(50) / 1000.0,
            pauseUs.getTotalCount() == 0 ? 0 : pauseUs.getValueAtPercentile(99) / 1000.0,
            lagUs.getTotalCount() == 0 ? 0 : lagUs.getValueAtPercentile(99) / 1000.0,
            lengthened.get());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** True when every shadow has finished its handshake (or refused the stream): epochs taken now reach them. */
    public boolean shadowsReady() {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        post((Runnable) () -> {
            boolean ready = true;
            for (ShadowSession s : sessions) {
                ready &= s.state != ShadowSession.State.CONNECTING && s.state != ShadowSession.State.HANDSHAKE;
            }
            f.complete(ready);
        });
        return f.join();
    }

    /** Per-shadow status lines, for logs and tests: name, state, acked epoch, last error. */
    public List<String> shadowStatus() {
        CompletableFuture<List<String>> f = new CompletableFuture<>();
        post((Runnable) () -> {
            List<String> out = new ArrayList<>();
            for (ShadowSession s : sessions) {
                out.add(s.name + " " + s.state + " acked=" + s.ackedEpoch + (s.lastError == null ? "" : " error=" + s.lastError));
            }
            f.complete(out);
        });
        return f.join();
    }
}
