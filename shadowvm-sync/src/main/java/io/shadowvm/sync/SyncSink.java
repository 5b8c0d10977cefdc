package io.shadowvm.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.sync.region.MemoryRegion;
import io.shadowvm.sync.sink.ReplicaStore;
import io.shadowvm.sync.sink.SinkSessionHandler;
import io.shadowvm.sync.wire.FrameDecoder;
import io.shadowvm.sync.wire.FrameHeader;
import io.shadowvm.sync.wire.Transport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The shadow side of replication: listens for one source at a time, stages each epoch, applies it atomically
 * to the replica file, then acknowledges it. See docs/sync.md for the contract.
 *
 * <pre>{@code
 * try (SyncSink sink = SyncSink.start(new SyncSink.Context()
 *         .listen(new InetSocketAddress("0.0.0.0", 7400))
 *         .replica(Path.of("/dev/shm/vm1.shadow.ram")).createSizeBytes(128L << 20)
 *         .onApplied(e -> promoteReady(e.epoch(), e.criticalBytes())))) {
 *     long newest = sink.newestConsistentEpoch();
 * }
 * }</pre>
 */
public final class SyncSink implements AutoCloseable {
    /** Configuration, validated once by {@link #conclude()}. */
    public static final class Context {
        private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
        private Path replica;
        private long createSizeBytes;
        private boolean durable;
        private int maxFrameLength = FrameHeader.DEFAULT_MAX_FRAME_LENGTH;
        private int maxBatchPages = 256;
        private int maxCriticalBytes = 64 << 20;
        private EpochClock clock = EpochClock.SYSTEM;
        private Consumer<AppliedEpoch> onApplied = e -> { };
        private Consumer<Throwable> onError = t -> { };
        private Transport transport = Transport.best();
        private EpochValidator validator = EpochValidator.ACCEPT_ALL;
        private MeterRegistry registry;

        public Context listen(InetSocketAddress a) { this.listen = a; return this; }
        public Context replica(Path p) { this.replica = p; return this; }
        /** Creates the replica (sparse) with this size when it is missing; 0 = it must exist. */
        public Context createSizeBytes(long n) { this.createSizeBytes = n; return this; }
        /** fsync journal, replica and meta on every apply (survives a host crash, not only a process crash). */
        public Context durable(boolean d) { this.durable = d; return this; }
        public Context maxFrameLength(int n) { this.maxFrameLength = n; return this; }
        public Context maxBatchPages(int n) { this.maxBatchPages = n; return this; }
        public Context maxCriticalBytes(int n) { this.maxCriticalBytes = n; return this; }
        public Context clock(EpochClock c) { this.clock = c; return this; }
        /** Called on the sink's I/O thread after each epoch is applied, before its ACK is sent. */
        public Context onApplied(Consumer<AppliedEpoch> c) { this.onApplied = c; return this; }
        /** Called when a source connection fails (corrupted frame, refused stream, I/O error). */
        public Context onError(Consumer<Throwable> c) { this.onError = c; return this; }
        public Context transport(Transport t) { this.transport = t; return this; }
        /**
         * Checks each epoch's critical blob before the epoch is applied; a rejected epoch is never applied nor
         * acknowledged (see {@link EpochValidator}). Default: accept every epoch.
         */
        public Context validator(EpochValidator v) { this.validator = v; return this; }
        /** Where {@code shadowvm.sync.sink.epochs.rejected} is counted (default: a private simple registry). */
        public Context meterRegistry(MeterRegistry r) { this.registry = r; return this; }

        Context conclude() {
            Objects.requireNonNull(replica, "replica");
            if (maxBatchPages < 1 || maxBatchPages > 0xFFFF) {
                throw new SyncException("invalid maxBatchPages: " + maxBatchPages + " (expected: 1-65535)");
            }
            if (maxCriticalBytes < 0) {
                throw new SyncException("invalid maxCriticalBytes: " + maxCriticalBytes + " (expected: >= 0)");
            }
            Objects.requireNonNull(validator, "validator");
            if (registry == null) {
                registry = new SimpleMeterRegistry();
            }
            return this;
        }
    }

    private final Context ctx;
    private final ReplicaStore store;
    private final EventLoopGroup group;
    private final Channel server;
    private final AtomicReference<Object> owner = new AtomicReference<>();
    private final AtomicReference<AppliedEpoch> newest = new AtomicReference<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicReference<EpochRejectedException> lastRejection = new AtomicReference<>();
    private final Counter rejectedCounter;

    private SyncSink(Context ctx) throws InterruptedException {
        this.ctx = ctx.conclude();
        this.store = ReplicaStore.open(ctx.replica, ctx.createSizeBytes, ctx.durable);
        this.rejectedCounter = Counter.builder("shadowvm.sync.sink.epochs.rejected")
            .description("epochs whose critical blob the sink's validator rejected (never applied)").register(ctx.registry);
        if (store.appliedEpoch() > 0) {
            newest.set(new AppliedEpoch(store.streamId(), store.appliedEpoch(),
                java.nio.ByteBuffer.wrap(store.critical()), 0, ctx.clock.epochMillis()));
        }
        SinkSessionHandler.Host host = new SinkSessionHandler.Host() {
            @Override
            public ReplicaStore store() {
                return store;
            }

            @Override
            public boolean claim(Object o) {
                return owner.compareAndSet(null, o);
            }

            @Override
            public void release(Object o) {
                owner.compareAndSet(o, null);
            }

            @Override
            public void applied(AppliedEpoch e) {
                newest.set(e);
                ctx.onApplied.accept(e);
            }

            @Override
            public void failed(Throwable t) {
                errors.add(t);
                ctx.onError.accept(t);
            }

            @Override
            public void rejected(EpochRejectedException e) {
                rejected.incrementAndGet();
                rejectedCounter.increment();
                lastRejection.set(e);
                failed(e);
            }
        };
        this.group = ctx.transport.group(1, "shadowvm-sync-sink");
        ServerBootstrap b = new ServerBootstrap()
            .group(group)
            .channel(ctx.transport.serverChannel())
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.IP_TOS, FrameHeader.IP_TOS)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new FrameDecoder(ctx.maxFrameLength),
                        new SinkSessionHandler(host, ctx.clock, ctx.maxFrameLength, ctx.maxBatchPages, ctx.maxCriticalBytes,
                            ctx.validator));
                }
            });
        try {
            this.server = b.bind(ctx.listen).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            store.close();
            throw new SyncException("cannot listen on " + ctx.listen + ": " + e.getMessage(), e);
        }
    }

    /** Opens (and recovers) the replica, then listens. */
    public static SyncSink start(Context ctx) {
        try {
            return new SyncSink(ctx);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException("interrupted while binding " + ctx.listen);
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** The newest epoch the replica holds whole (0 when none). */
    public long newestConsistentEpoch() {
        AppliedEpoch e = newest.get();
        return e == null ? 0 : e.epoch();
    }

    /** The newest applied epoch with its critical blob, or {@code null}. */
    public AppliedEpoch newestEpoch() {
        return newest.get();
    }

    public Path replicaFile() {
        return ctx.replica;
    }

    /** Reads the replica while no epoch is being applied (the reader sees exactly one epoch). */
    public <T> T withConsistentReplica(Function<MemoryRegion, T> reader) {
        return store.withConsistentReplica(reader);
    }

    /** Epochs the validator rejected so far (none of them was applied). */
    public long rejectedEpochs() {
        return rejected.get();
    }

    /** The newest rejection with its reason, or {@code null}. */
    public EpochRejectedException lastRejection() {
        return lastRejection.get();
    }

    /** Connection failures seen so far (corrupted frames, refused streams, rejected epochs). */
    public List<Throwable> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        store.close();
    }
}
