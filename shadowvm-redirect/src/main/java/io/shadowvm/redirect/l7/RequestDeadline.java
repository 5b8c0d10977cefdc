package io.shadowvm.redirect.l7;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Sits in front of the HTTP decoder and watches raw bytes: once the first byte of a request arrives, the whole
 * request must arrive within {@code requestTimeoutMs} (noticed within a further 25%), or the client gets 408 and
 * the connection closes (slowloris). A connection with no request in progress closes after {@code idleTimeoutMs}.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
    private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"
        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final long requestTimeoutNs;
    private final long idleTimeoutNs;
    private final long granularityNs;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long deadlineNs = Long.MAX_VALUE;
    private boolean inRequest;
    private boolean busy;

    RequestDeadline(long requestTimeoutMs, long idleTimeoutMs) {
        this.requestTimeoutNs = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
        this.idleTimeoutNs = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
        this.granularityNs = Math.max(TimeUnit.MILLISECONDS.toNanos(1), requestTimeoutNs / 4);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        arm(idleTimeoutNs);
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!inRequest && !busy && msg instanceof ByteBuf b && b.isReadable()) {
            inRequest = true;
            arm(requestTimeoutNs);
        }
        context.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        context.fireChannelInactive();
    }

    /** A whole request arrived: no deadline while the backend works on it. */
    void requestComplete() {
        inRequest = false;
        busy = true;
        deadlineNs = Long.MAX_VALUE;
    }

    /** The response went out: wait for the next request (idle deadline). */
    void responseSent() {
        busy = false;
        arm(idleTimeoutNs);
    }

    /**
     * Moves the deadline without touching the timer queue: at most one timer is pending per connection and it
     * fires at least every quarter of the request timeout, so a deadline is noticed within 25% of that timeout
     * after it passes. Keeps the per-request cost to a field write instead of a schedule and a cancel.
     */
    private void arm(long timeoutNs) {
        deadlineNs = System.nanoTime() + timeoutNs;
        if (timer == null) {
            timer = ctx.executor().schedule(this::check, Math.min(timeoutNs, granularityNs), TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (deadlineNs == Long.MAX_VALUE) {
            return; // busy: responseSent() re-arms
        }
        long left = deadlineNs - System.nanoTime();
        if (left > 0) {
            timer = ctx.executor().schedule(this::check, Math.min(left, granularityNs), TimeUnit.NANOSECONDS);
            return;
        }
        expire();
    }

    private void expire() {
        if (busy) {
            return;
        }
        if (inRequest) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }
}
