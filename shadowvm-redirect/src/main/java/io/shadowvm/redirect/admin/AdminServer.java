package io.shadowvm.redirect.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.shadowvm.redirect.BackendStats;
import io.shadowvm.redirect.DataPlane;
import io.shadowvm.redirect.RedirectException;
import io.shadowvm.redirect.RelativeWeights;
import io.shadowvm.redirect.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A small HTTP/1.1 admin endpoint for one {@link DataPlane}. */
public final class AdminServer implements AutoCloseable {
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataPlane plane;
    private final EventLoopGroup group;
    private final Channel server;

    private AdminServer(InetSocketAddress listen, DataPlane plane, Transport transport) {
        this.plane = plane;
        this.group = transport.newGroup(1, "redirect-admin");
        try {
            this.server = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY_BYTES),
                            new Handler());
                    }
                })
                .bind(listen).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new RedirectException("cannot listen for admin on " + listen + ": " + e.getMessage(), e);
        }
    }

    public static AdminServer start(InetSocketAddress listen, DataPlane plane) {
        return new AdminServer(listen, plane, Transport.best());
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** The {@code GET /stats} document: {@code {"backends":{"NAME":{"connections":n,"active":n,"bytes":n,"requests":n}}}}. */
    public static String statsJson(Map<String, BackendStats.Snapshot> stats) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode backends = root.putObject("backends");
        stats.forEach((name, s) -> {
            ObjectNode b = backends.putObject(name);
            b.put("connections", s.connections());
            b.put("active", s.active());
            b.put("bytes", s.bytes());
            b.put("requests", s.requests());
        });
        return root.toString();
    }

    /** Parses a {@code PUT /weights} body strictly: an object of backend name to a non-negative number. */
    public static RelativeWeights parseWeights(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new RedirectException("invalid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new RedirectException("invalid weights: expected a JSON object {\"NAME\":W,...}");
        }
        Map<String, Double> m = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber()) {
                throw new RedirectException("invalid weight of " + e.getKey() + ": " + e.getValue()
                    + " (expected: a number >= 0)");
            }
            m.put(e.getKey(), e.getValue().asDouble());
        }
        return new RelativeWeights(m);
    }

    private String weightsJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode w = root.putObject("weights");
        plane.weights().forEach(w::put);
        return root.toString();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = req.uri();
            int q = path.indexOf('?');
            if (q >= 0) {
                path = path.substring(0, q);
            }
            HttpResponseStatus status = HttpResponseStatus.OK;
            String body;
            try {
                if (!req.decoderResult().isSuccess()) {
                    status = HttpResponseStatus.BAD_REQUEST;
                    body = error("malformed request");
                } else if (path.equals("/stats") && req.method().equals(HttpMethod.GET)) {
                    body = statsJson(plane.stats());
                } else if (path.equals("/weights") && req.method().equals(HttpMethod.GET)) {
                    body = weightsJson();
                } else if (path.equals("/weights") && req.method().equals(HttpMethod.PUT)) {
                    plane.setWeights(parseWeights(req.content().toString(StandardCharsets.UTF_8)));
                    body = weightsJson();
                } else if (path.equals("/stats") || path.equals("/weights")) {
                    status = HttpResponseStatus.METHOD_NOT_ALLOWED;
                    body = error(req.method() + " not allowed on " + path);
                } else {
                    status = HttpResponseStatus.NOT_FOUND;
                    body = error("no such resource: " + path + " (expected: /weights or /stats)");
                }
            } catch (RedirectException e) {
                status = HttpResponseStatus.BAD_REQUEST;
                body = error(e.getMessage());
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body + "\n", StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(r, keepAlive);
            var f = ctx.writeAndFlush(r);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        private String error(String message) {
            return JSON.createObjectNode().put("error", message).toString();
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
