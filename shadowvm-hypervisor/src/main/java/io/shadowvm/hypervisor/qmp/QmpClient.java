package io.shadowvm.hypervisor.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowvm.core.time.NanoClock;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A QMP client on one Unix domain socket.
 *
 * <p>Threads: one reader thread owns the socket's read side and completes the pending command futures and the
 * event queue; callers send commands (writes are serialised by a lock). QEMU serves one QMP client at a time,
 * and a second connection hangs without a greeting, so this JVM refuses a second client on the same socket
 * path ({@link QmpConnectionException}) instead of hanging.
 *
 * <p>Framing: QMP messages are JSON objects, one per line. A line longer than {@link #MAX_LINE_BYTES} closes the
 * connection as corrupted.
 */
public final class QmpClient implements AutoCloseable {
    /** Longest QMP line accepted (query-qmp-schema answers are ~200 KiB; nothing we send asks for more). */
    public static final int MAX_LINE_BYTES = 4 << 20;
    /** Events kept for {@link #awaitEvent}; older ones are dropped first. */
    public static final int MAX_QUEUED_EVENTS = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();

    private final Path socketPath;
    private final SocketChannel channel;
    private final NanoClock clock;
    private final Thread reader;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final AtomicLong nextId = new AtomicLong();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock eventLock = new ReentrantLock();
    private final Condition eventArrived = eventLock.newCondition();
    private final ArrayDeque<QmpEvent> events = new ArrayDeque<>();
    private volatile QmpConnectionException closedBecause;

    private QmpClient(Path socketPath, SocketChannel channel, NanoClock clock) {
        this.socketPath = socketPath;
        this.channel = channel;
        this.clock = clock;
        this.reader = new Thread(this::readLoop, "qmp-reader-" + socketPath.getFileName());
        this.reader.setDaemon(true);
    }

    /**
     * Connects to QEMU's QMP socket (waiting for it to appear), reads the greeting and negotiates capabilities.
     *
     * @param timeout bound for the whole connect + greeting + {@code qmp_capabilities}
     */
    public static QmpClient connect(Path socketPath, Duration timeout) {
        return connect(socketPath, timeout, NanoClock.SYSTEM);
    }

    static QmpClient connect(Path socketPath, Duration timeout, NanoClock clock) {
        Path key = socketPath.toAbsolutePath().normalize();
        if (!OWNED.add(key)) {
            throw new QmpConnectionException("QMP socket " + key + " already has an owner in this process "
                    + "(QEMU serves one QMP client at a time)");
        }
        long deadline = clock.nanoTime() + timeout.toNanos();
        SocketChannel ch = null;
        try {
            IOException last = null;
            while (ch == null) {
                try {
                    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                    try {
                        c.connect(UnixDomainSocketAddress.of(key));
                        ch = c;
                    } catch (IOException e) {
                        c.close();
                        throw e;
                    }
                } catch (IOException e) {
                    last = e;
                    if (clock.nanoTime() > deadline) {
                        throw new QmpTimeoutException("QMP socket " + key + " not connectable within "
                                + timeout.toMillis() + " ms (" + (Files.exists(key) ? e.getMessage() : "it does not exist") + ")");
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new QmpConnectionException("interrupted while connecting to " + key, ie);
                    }
                }
            }
            QmpClient client = new QmpClient(key, ch, clock);
            client.reader.start();
            try {
                long left = Math.max(1, deadline - clock.nanoTime());
                client.greeting.get(left, TimeUnit.NANOSECONDS);
                client.execute("qmp_capabilities", null, Duration.ofNanos(Math.max(1_000_000, deadline - clock.nanoTime())));
            } catch (TimeoutException e) {
                client.close();
                throw new QmpTimeoutException("no QMP greeting on " + key + " within " + timeout.toMillis()
                        + " ms (is another client connected? QEMU greets only one at a time)");
            } catch (ExecutionException e) {
                client.close();
                throw new QmpConnectionException("QMP greeting on " + key + " failed: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                client.close();
                throw new QmpConnectionException("interrupted while waiting for the QMP greeting on " + key, e);
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
            return client;
        } catch (RuntimeException e) {
            if (ch == null) {
                OWNED.remove(key);
            }
            throw e;
        }
    }

    /** The greeting's {@code QMP.version.qemu} object, e.g. {@code {"major":7,"minor":2,"micro":22}}. */
    public JsonNode qemuVersion() {
        return greeting.getNow(JSON.missingNode()).path("QMP").path("version").path("qemu");
    }

    /** Runs a command without arguments. */
    public JsonNode execute(String command, Duration timeout) {
        return execute(command, null, timeout);
    }

    /**
     * Sends {@code {"execute":command,"arguments":arguments,"id":...}} and waits for its answer.
     *
     * @return the {@code return} member
     * @throws QmpCommandException the subclass for QEMU's error class
     * @throws QmpTimeoutException no answer within the timeout (the command may still run in QEMU)
     */
    public JsonNode execute(String command, JsonNode arguments, Duration timeout) {
        String id = "sv-" + nextId.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("execute", command);
        if (arguments != null) {
            msg.set("arguments", arguments);
        }
        msg.put("id", id);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            send(msg);
            JsonNode reply = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            JsonNode error = reply.get("error");
            if (error != null) {
                throw QmpCommandException.of(command, error.path("class").asText("?"), error.path("desc").asText(""));
            }
            return reply.path("return");
        } catch (TimeoutException e) {
            throw new QmpTimeoutException("QMP command '" + command + "' on " + socketPath + " not answered within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof QmpException q ? q : new QmpConnectionException("QMP command '" + command + "' failed: " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpConnectionException("interrupted while waiting for QMP command '" + command + "'", e);
        } finally {
            pending.remove(id);
        }
    }

    /** Helper for building arguments: {@code args().put("uri", u)}. */
    public static ObjectNode args() {
        return JSON.createObjectNode();
    }

    /**
     * Waits for the first queued or arriving event named {@code name} that matches {@code filter}, removes it
     * from the queue and returns it. Events that do not match stay queued for other waiters.
     */
    public QmpEvent awaitEvent(String name, Predicate<QmpEvent> filter, Duration timeout) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        eventLock.lock();
        try {
            while (true) {
                for (Iterator<QmpEvent> it = events.iterator(); it.hasNext(); ) {
                    QmpEvent e = it.next();
                    if (e.name().equals(name) && filter.test(e)) {
                        it.remove();
                        return e;
                    }
                }
                if (closedBecause != null) {
                    throw closedBecause;
                }
                long left = deadline - clock.nanoTime();
                if (left <= 0) {
                    throw new QmpTimeoutException("QMP event " + name + " not seen on " + socketPath + " within "
                            + timeout.toMillis() + " ms");
                }
                eventArrived.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpConnectionException("interrupted while waiting for QMP event " + name, e);
        } finally {
            eventLock.unlock();
        }
    }

    /** Drops every queued event (e.g. before a checkpoint, so stale events are not mistaken for new ones). */
    public void clearEvents() {
        eventLock.lock();
        try {
            events.clear();
        } finally {
            eventLock.unlock();
        }
    }

    /** True until the socket closed or the peer sent garbage. */
    public boolean isOpen() {
        return closedBecause == null && channel.isOpen();
    }

    public Path socketPath() {
        return socketPath;
    }

    private void send(JsonNode msg) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(msg);
        } catch (IOException e) {
            throw new QmpConnectionException("cannot encode QMP message " + msg, e);
        }
        ByteBuffer buf = ByteBuffer.allocate(bytes.length + 1).put(bytes).put((byte) '\n').flip();
        writeLock.lock();
        try {
            if (closedBecause != null) {
                throw closedBecause;
            }
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            throw new QmpConnectionException("QMP write to " + socketPath + " failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        byte[] line = new byte[64 * 1024];
        int lineLen = 0;
        try {
            while (true) {
                buf.clear();
                int n = channel.read(buf);
                if (n < 0) {
                    fail(new QmpConnectionException("QMP socket " + socketPath + " closed by QEMU"));
                    return;
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        if (lineLen > 0) {
                            dispatch(JSON.readTree(line, 0, lineLen));
                        }
                        lineLen = 0;
                        continue;
                    }
                    if (lineLen == line.length) {
                        if (line.length >= MAX_LINE_BYTES) {
                            fail(new QmpConnectionException("QMP line from " + socketPath + " longer than "
                                    + MAX_LINE_BYTES + " bytes; connection treated as corrupted"));
                            return;
                        }
                        line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, line.length * 2));
                    }
                    line[lineLen++] = b;
                }
            }
        } catch (IOException e) {
            fail(new QmpConnectionException("QMP socket " + socketPath + " failed: " + e.getMessage(), e));
        }
    }

    private void dispatch(JsonNode msg) throws IOException {
        if (!msg.isObject()) {
            throw new IOException("QMP message is not a JSON object: " + msg);
        }
        if (msg.has("QMP")) {
            greeting.complete(msg);
        } else if (msg.has("event")) {
            JsonNode ts = msg.path("timestamp");
            QmpEvent e = new QmpEvent(msg.path("event").asText(), msg.path("data"),
                    ts.path("seconds").asLong() * 1_000_000L + ts.path("microseconds").asLong());
            eventLock.lock();
            try {
                if (events.size() == MAX_QUEUED_EVENTS) {
                    events.pollFirst();
                }
                events.addLast(e);
                eventArrived.signalAll();
            } finally {
                eventLock.unlock();
            }
        } else {
            CompletableFuture<JsonNode> f = pending.get(msg.path("id").asText(""));
            if (f != null) {
                f.complete(msg);
            }
        }
    }

    private void fail(QmpConnectionException why) {
        closedBecause = why;
        greeting.completeExceptionally(why);
        pending.values().forEach(f -> f.completeExceptionally(why));
        eventLock.lock();
        try {
            eventArrived.signalAll();
        } finally {
            eventLock.unlock();
        }
    }

    /** Closes the socket and releases this process's ownership of it. Idempotent. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a Unix socket only fails if it is already gone; nothing to release then
        }
        if (closedBecause == null) {
            fail(new QmpConnectionException("QMP client for " + socketPath + " closed"));
        }
        OWNED.remove(socketPath);
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
