package io.shadowvm.redirect.l7;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.shadowvm.redirect.BackendStats;
import io.shadowvm.redirect.route.Routing;
import io.shadowvm.redirect.route.RoutingControl;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One client connection: takes whole requests one at a time, routes each to a backend, and writes the response
 * back with {@link L7Config#BACKEND_HEADER}. Reading stays on while the client waits for its response (the usual
 * case, and no epoll re-arming per request); it pauses only while a pipelined request is already queued behind
 * the one in progress, which bounds what a client can make us buffer.
 */
final class Frontend extends ChannelInboundHandlerAdapter implements Exchange {
    private static final int MAX_PIPELINED = 16;

    private final L7Redirector owner;
    private final RoutingControl control;
    private final RequestDeadline deadline;
    private final BackendPool[] pools;
    private final ArrayDeque<FullHttpRequest> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private FullHttpRequest current;
    private boolean currentKeepAlive;
    private int backend;
    private long triedMask;
    private Channel backendChannel;
    private final ChannelFutureListener afterResponse = this::afterResponse;

    Frontend(L7Redirector owner, RequestDeadline deadline, BackendPool[] pools) {
        this.owner = owner;
        this.control = owner.control();
        this.deadline = deadline;
        this.pools = pools;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        deadline.requestComplete();
        DecoderResult dr = req.decoderResult();
        if (dr.isFailure()) {
            HttpResponseStatus status = dr.cause() instanceof TooLongHttpHeaderException
                ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : dr.cause() instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : HttpResponseStatus.BAD_REQUEST;
            req.release();
            reject(status);
            return;
        }
        if (queue.size() >= MAX_PIPELINED) {
            req.release();
            reject(HttpResponseStatus.TOO_MANY_REQUESTS);
            return;
        }
        queue.add(req);
        if (current == null) {
            next();
        } else {
            context.channel().config().setAutoRead(false); // a pipelined request waits: stop reading more
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        FullHttpRequest r;
        while ((r = queue.poll()) != null) {
            r.release();
        }
        if (current != null) {
            current.release();
            current = null;
        }
        if (backendChannel != null) {
            // mid-exchange: that backend connection's response has no one to go to
            backendChannel.attr(BackendPool.EXCHANGE).set(null);
            backendChannel.close();
            backendChannel = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close();
    }

    private void next() {
        current = queue.poll();
        if (current == null) {
            deadline.responseSent();
            if (!ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
            return;
        }
        currentKeepAlive = HttpUtil.isKeepAlive(current);
        triedMask = 0;
        Routing r = control.routing();
        int index;
        if (owner.isSafe(current)) {
            index = control.pick(r, false, 0);
        } else {
            index = owner.primaryIndex();
        }
        send(index);
    }

    private void send(int index) {
        backend = index;
        if (index < 64) {
            triedMask |= 1L << index;
        }
        BackendPool pool = pools[index];
        Channel ch = pool.pollIdle();
        if (ch != null) {
            write(ch);
            return;
        }
        ChannelFuture f = pool.connect();
        f.addListener(done -> {
            if (current == null) { // the client went away meanwhile
                if (done.isSuccess()) {
                    pool.release(f.channel());
                }
                return;
            }
            if (done.isSuccess()) {
                control.reportSuccess(index);
                write(f.channel());
            } else {
                control.reportFailure(index);
                retryOrFail(done.cause());
            }
        });
    }

    private void write(Channel ch) {
        backendChannel = ch;
        ch.attr(BackendPool.EXCHANGE).set(this);
        BackendStats stats = control.stats(backend);
        stats.request();
        stats.bytes(current.content().readableBytes());
        current.headers().remove(HttpHeaderNames.CONNECTION);
        current.headers().remove("Keep-Alive");
        current.setProtocolVersion(HttpVersion.HTTP_1_1);
        ch.writeAndFlush(current.retainedDuplicate()).addListener(f -> {
            if (!f.isSuccess()) {
                ch.close(); // channelInactive on the backend side reports the failure
            }
        });
    }

    private void retryOrFail(Throwable cause) {
        // Only requests that are safe to repeat (the shadow-safe ones) go to another backend.
        if (current != null && owner.isSafe(current)) {
            int next = control.pickRetry(control.routing(), triedMask);
            if (next >= 0) {
                send(next);
                return;
            }
        }
        respond(error(HttpResponseStatus.BAD_GATEWAY, "backend unavailable: " + cause));
    }

    @Override
    public void onResponse(FullHttpResponse response) {
        Channel ch = backendChannel;
        backendChannel = null;
        boolean backendKeepAlive = HttpUtil.isKeepAlive(response);
        control.stats(backend).bytes(response.content().readableBytes());
        response.headers().set(L7Config.BACKEND_HEADER, owner.names().get(backend));
        if (backendKeepAlive) {
            pools[backend].release(ch);
        } else {
            ch.close();
        }
        respond(response);
    }

    @Override
    public void onFailure(Throwable cause) {
        backendChannel = null;
        if (current == null) {
            return;
        }
        control.reportFailure(backend);
        retryOrFail(cause);
    }

    private void respond(FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, currentKeepAlive);
        if (current != null) {
            current.release();
            current = null;
        }
        ChannelFuture f = ctx.writeAndFlush(response);
        f.addListener(currentKeepAlive ? afterResponse : ChannelFutureListener.CLOSE);
    }

    private void afterResponse(ChannelFuture f) {
        if (f.isSuccess()) {
            next();
        } else {
            ctx.close();
        }
    }

    private void reject(HttpResponseStatus status) {
        FullHttpResponse r = error(status, status.reasonPhrase());
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    private static FullHttpResponse error(HttpResponseStatus status, String text) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        return r;
    }
}
