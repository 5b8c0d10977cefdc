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
 * request must arrive within {@code requestTimeoutMs}, or the client gets 408 and the connection closes
 * (slowloris). A connection with no request in progress closes after {@code idleTimeoutMs}.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
    private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"
        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final long requestTimeoutMs;
    private final long idleTimeoutMs;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean inRequest;
    private boolean busy;

    RequestDeadline(long requestTimeoutMs, long idleTimeoutMs) {
        this.requestTimeoutMs = requestTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        arm(idleTimeoutMs);
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!inRequest && !busy && msg instanceof ByteBuf b && b.isReadable()) {
            inRequest = true;
            arm(requestTimeoutMs);
        }
        context.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        cancel();
        context.fireChannelInactive();
    }

    /** A whole request arrived: no deadline while the backend works on it. */
    void requestComplete() {
        inRequest = false;
        busy = true;
        cancel();
    }

    /** The response went out: wait for the next request (idle deadline). */
    void responseSent() {
        busy = false;
        arm(idleTimeoutMs);
    }

    private void arm(long ms) {
        cancel();
        timer = ctx.executor().schedule(this::expire, ms, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire() {
        timer = null;
        if (busy || !ctx.channel().isActive()) {
            return;
        }
        if (inRequest) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }
}
