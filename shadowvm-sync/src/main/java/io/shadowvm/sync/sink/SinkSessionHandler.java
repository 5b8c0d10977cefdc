package io.shadowvm.sync.sink;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.sync.AppliedEpoch;
import io.shadowvm.sync.EpochRejectedException;
import io.shadowvm.sync.EpochValidator;
import io.shadowvm.sync.SyncException;
import io.shadowvm.sync.codec.BatchDecoder;
import io.shadowvm.sync.codec.CorruptPageException;
import io.shadowvm.sync.region.MemoryRegion;
import io.shadowvm.sync.wire.Ack;
import io.shadowvm.sync.wire.CorruptedFrameException;
import io.shadowvm.sync.wire.EpochBegin;
import io.shadowvm.sync.wire.EpochEnd;
import io.shadowvm.sync.wire.ErrorCode;
import io.shadowvm.sync.wire.ErrorMessage;
import io.shadowvm.sync.wire.Frame;
import io.shadowvm.sync.wire.Hello;
import io.shadowvm.sync.wire.PageHashes;
import io.shadowvm.sync.wire.PeerRejectedException;
import io.shadowvm.sync.wire.ProtocolException;
import io.shadowvm.sync.wire.Resume;
import io.shadowvm.sync.wire.UnsupportedVersionException;
import java.util.function.Consumer;

/**
 * The sink side of one source connection, run on the connection's event loop:
 *
 * <pre>
 *  AWAIT_HELLO --HELLO--> (RESUME [+ PAGE_HASHES]) --> IDLE --EPOCH_BEGIN--> RECEIVING
 *  RECEIVING --CRITICAL | PAGE_BATCH--> RECEIVING --EPOCH_END--> (validate, apply, ACK) --> IDLE
 *  validator rejects the epoch --> staged epoch discarded, ERROR(EPOCH_REJECTED), CLOSED
 *  any error or disconnect --> staged epoch discarded, ERROR sent when the peer can read it, CLOSED
 * </pre>
 */
public final class SinkSessionHandler extends ChannelInboundHandlerAdapter {
    enum State { AWAIT_HELLO, IDLE, RECEIVING, CLOSED }

    /** What the handler needs from its sink (one store; one source connection at a time). */
    public interface Host {
        ReplicaStore store();

        /** Claims the store for this connection; false when another source holds it. */
        boolean claim(Object owner);

        void release(Object owner);

        void applied(AppliedEpoch epoch);

        void failed(Throwable cause);

        /** The validator rejected an epoch (it was not applied); the connection is closing. */
        default void rejected(EpochRejectedException e) {
            failed(e);
        }
    }

    private final Host host;
    private final EpochClock clock;
    private final int maxBatchPages;
    private final int maxCriticalBytes;
    private final EpochValidator validator;
    private final byte[] batch;
    private State state = State.AWAIT_HELLO;
    private BatchDecoder decoder;
    private long streamId;
    private boolean claimed;

    // the epoch being received
    private EpochBegin begin;
    private boolean catchUp;
    private byte[] critical;
    private int criticalReceived;
    private long pages;
    private int batches;

    public SinkSessionHandler(Host host, EpochClock clock, int maxFrameLength, int maxBatchPages, int maxCriticalBytes) {
        this(host, clock, maxFrameLength, maxBatchPages, maxCriticalBytes, EpochValidator.ACCEPT_ALL);
    }

    /** @param validator checks each epoch's critical blob before it is applied (see {@link EpochValidator}) */
    public SinkSessionHandler(Host host, EpochClock clock, int maxFrameLength, int maxBatchPages, int maxCriticalBytes,
                              EpochValidator validator) {
        this.host = host;
        this.validator = validator;
        this.clock = clock;
        this.maxBatchPages = maxBatchPages;
        this.maxCriticalBytes = maxCriticalBytes;
        this.batch = new byte[maxFrameLength];
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame f = (Frame) msg;
        try {
            if (state == State.CLOSED) {
                return;
            }
            handle(ctx, f);
        } catch (RuntimeException e) {
            fail(ctx, e);
        } finally {
            f.release();
        }
    }

    private void handle(ChannelHandlerContext ctx, Frame f) {
        ReplicaStore store = host.store();
        switch (f.type()) {
            case HELLO -> {
                expect(State.AWAIT_HELLO, f);
                Hello h = Hello.decode(f.payload());
                if (h.pageSize() != MemoryRegion.PAGE_SIZE) {
                    refuse(ctx, ErrorCode.PROTOCOL, "unsupported page size: " + h.pageSize() + " (expected: 4096)");
                    return;
                }
                if (h.regionBytes() != store.sizeBytes()) {
                    refuse(ctx, ErrorCode.REGION_SIZE_MISMATCH, "region size mismatch: source region is "
                        + h.regionBytes() + " bytes, replica " + store.file() + " is " + store.sizeBytes() + " bytes");
                    return;
                }
                if (!host.claim(this)) {
                    refuse(ctx, ErrorCode.BUSY, "sink is serving another source");
                    return;
                }
                claimed = true;
                streamId = h.streamId();
                decoder = new BatchDecoder(maxBatchPages, store.pageCount());
                boolean sure = store.streamId() == h.streamId() && store.appliedEpoch() > 0;
                long pageCount = store.pageCount();
                ctx.write(new Resume(store.streamId(), store.appliedEpoch(), store.sizeBytes(), sure ? 0 : pageCount)
                    .encode(ctx.alloc()));
                if (!sure) {
                    long[] hashes = store.pageHashes();
                    for (int from = 0; from < hashes.length; from += PageHashes.MAX_HASHES) {
                        int n = Math.min(PageHashes.MAX_HASHES, hashes.length - from);
                        ctx.write(PageHashes.encode(ctx.alloc(), from, hashes, from, n));
                    }
                }
                ctx.flush();
                state = State.IDLE;
            }
            case EPOCH_BEGIN -> {
                expect(State.IDLE, f);
                EpochBegin b = EpochBegin.decode(f.payload());
                boolean cu = (f.flags() & EpochBegin.FLAG_CATCH_UP) != 0;
                if (b.baseEpoch() != store.appliedEpoch() || (!cu && store.streamId() != streamId)) {
                    throw new ProtocolException("epoch " + b.epoch() + " builds on epoch " + b.baseEpoch()
                        + " of stream " + Long.toHexString(streamId) + " but the replica holds epoch "
                        + store.appliedEpoch() + " of stream " + Long.toHexString(store.streamId()));
                }
                if (b.criticalBytes() < 0 || b.criticalBytes() > maxCriticalBytes) {
                    throw new CorruptedFrameException("invalid critical blob length: " + b.criticalBytes()
                        + " (expected: 0-" + maxCriticalBytes + ")");
                }
                if (b.pages() < 0 || b.pages() > store.pageCount()) {
                    throw new CorruptedFrameException("invalid epoch page count: " + b.pages()
                        + " (expected: 0-" + store.pageCount() + ")");
                }
                begin = b;
                catchUp = cu;
                critical = new byte[b.criticalBytes()];
                criticalReceived = 0;
                pages = 0;
                batches = 0;
                store.begin(b.epoch(), streamId);
                state = State.RECEIVING;
            }
            case CRITICAL -> {
                expect(State.RECEIVING, f);
                ByteBuf p = f.payload();
                if (p.readableBytes() < 4) {
                    throw new CorruptedFrameException("invalid CRITICAL payload length: " + p.readableBytes() + " (expected: >= 4)");
                }
                int offset = p.readInt();
                int len = p.readableBytes();
                if (offset != criticalReceived || (long) offset + len > critical.length) {
                    throw new CorruptedFrameException("critical chunk at " + offset + "+" + len + " (expected: at "
                        + criticalReceived + ", within " + critical.length + " bytes)");
                }
                p.readBytes(critical, offset, len);
                criticalReceived += len;
            }
            case PAGE_BATCH -> {
                expect(State.RECEIVING, f);
                ByteBuf p = f.payload();
                int len = p.readableBytes();
                p.readBytes(batch, 0, len);
                MemoryRegion base = store.region();
                pages += decoder.decode(batch, 0, len, base::readPage, store::stagePage);
                batches++;
                if (pages > begin.pages()) {
                    throw new CorruptedFrameException("epoch " + begin.epoch() + " carries " + pages
                        + " pages (expected: <= " + begin.pages() + ")");
                }
            }
            case EPOCH_END -> {
                expect(State.RECEIVING, f);
                EpochEnd e = EpochEnd.decode(f.payload());
                if (e.epoch() != begin.epoch() || e.pages() != pages || e.batches() != batches
                    || criticalReceived != critical.length) {
                    throw new CorruptedFrameException("epoch " + e.epoch() + " ended with " + pages + " pages in "
                        + batches + " batches and " + criticalReceived + " critical bytes (expected: epoch "
                        + begin.epoch() + ", " + e.pages() + " pages, " + e.batches() + " batches, "
                        + critical.length + " critical bytes)");
                }
                if ((f.flags() & EpochEnd.FLAG_DIGEST) != 0) {
                    long digest = store.stagedDigest();
                    if (digest != e.digest()) {
                        store.abort();
                        refuse(ctx, ErrorCode.DIGEST_MISMATCH, String.format(
                            "region digest mismatch at epoch %d: replica would be 0x%016X, source says 0x%016X",
                            e.epoch(), digest, e.digest()));
                        return;
                    }
                }
                String why = validate(e.epoch());
                if (why != null) {
                    reject(ctx, e.epoch(), why);
                    return;
                }
                AppliedEpoch applied = store.commit(critical, clock.epochMillis());
                critical = null;
                state = State.IDLE;
                host.applied(applied);
                ctx.writeAndFlush(new Ack(applied.epoch(), applied.appliedAtMs()).encode(ctx.alloc()));
            }
            case ERROR -> {
                ErrorMessage m = ErrorMessage.decode(f.payload());
                throw new PeerRejectedException(m.code(), m.message());
            }
            default -> throw new ProtocolException("unexpected " + f.type() + " frame from a source");
        }
    }

    private void expect(State wanted, Frame f) {
        if (state != wanted) {
            throw new ProtocolException("unexpected " + f.type() + " frame in state " + state + " (expected: " + wanted + ")");
        }
    }

    /** The validator's verdict on the received epoch's critical blob: {@code null} to apply it, else why not. */
    private String validate(long epoch) {
        try {
            return validator.check(streamId, epoch, java.nio.ByteBuffer.wrap(critical).asReadOnlyBuffer());
        } catch (RuntimeException ex) {
            return "validator failed: " + ex;
        }
    }

    /** Drops the staged epoch (the replica keeps the previous one), reports it, and tells the source why. */
    private void reject(ChannelHandlerContext ctx, long epoch, String why) {
        String message = "epoch " + epoch + " of stream " + Long.toHexString(streamId) + " rejected by the sink's "
            + "validator before it was applied (the replica keeps epoch " + host.store().appliedEpoch() + "): " + why;
        state = State.CLOSED;
        host.store().abort();
        critical = null;
        host.rejected(new EpochRejectedException(epoch, message));
        ctx.writeAndFlush(new ErrorMessage(ErrorCode.EPOCH_REJECTED, message).encode(ctx.alloc()))
            .addListener(ChannelFutureListener.CLOSE);
    }

    private void refuse(ChannelHandlerContext ctx, ErrorCode code, String message) {
        state = State.CLOSED;
        host.store().abort();
        host.failed(new SyncException(message));
        ctx.writeAndFlush(new ErrorMessage(code, message).encode(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
    }

    private void fail(ChannelHandlerContext ctx, Throwable t) {
        Throwable cause = t instanceof DecoderException && t.getCause() != null ? t.getCause() : t;
        if (state == State.CLOSED) {
            return;
        }
        if (cause instanceof UnsupportedVersionException) {
            refuse(ctx, ErrorCode.VERSION_MISMATCH, cause.getMessage());
        } else if (cause instanceof CorruptedFrameException || cause instanceof CorruptPageException) {
            refuse(ctx, ErrorCode.CORRUPTED_FRAME, cause.getMessage());
        } else if (cause instanceof ProtocolException) {
            refuse(ctx, ErrorCode.PROTOCOL, cause.getMessage());
        } else {
            state = State.CLOSED;
            host.store().abort();
            host.failed(cause);
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (claimed) {
            if (state == State.RECEIVING) {
                host.store().abort(); // a half-received epoch is never applied
            }
            host.release(this);
            claimed = false;
        }
        state = State.CLOSED;
        if (decoder != null) {
            decoder.close();
        }
        ctx.fireChannelInactive();
    }
}
