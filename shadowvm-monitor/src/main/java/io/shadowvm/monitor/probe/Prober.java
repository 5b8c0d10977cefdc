package io.shadowvm.monitor.probe;

import io.shadowvm.core.agent.Agent;
import io.shadowvm.core.agent.IdleStrategy;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.NanoClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Probes a list of peers, each at its own interval: a UDP echo and, over a kept TCP connection, a
 * request/response whose send time travels in the frame; the connection is re-opened every
 * {@link ProbeSettings#reconnectIntervalNs()}, which measures the connect time. Everything is non-blocking
 * on one selector: a peer that is slow or dead costs a timeout, counted as a loss, and never holds up the
 * others. At most one TCP and one UDP probe per peer are in flight; a round that finds one still out
 * (and not yet timed out) skips that protocol for the round.
 *
 * <p>Why plain NIO rather than Netty: the prober is a single-threaded agent whose timeouts and schedule
 * come from an injected clock and whose per-probe path must not allocate. One selector driven from
 * {@code doWork()} gives exactly that with no event-loop threads to coordinate; at Pingmesh rates (tens of
 * probes per second) epoll via Netty would buy nothing measurable. Buffers are allocated per peer once,
 * when it is first connected.
 */
public final class Prober implements Agent, AutoCloseable {
    /** A peer to probe. */
    public record Target(String name, InetSocketAddress address, long intervalNs) {
        public Target {
            if (intervalNs < 1_000_000) {
                throw new ProbeFrameException("invalid probe interval for " + name + ": " + intervalNs
                    + " ns (expected: >= 1 ms)");
            }
        }
    }

    private static final byte IDLE = 0;
    private static final byte CONNECTING = 1;
    private static final byte CONNECTED = 2;
    private static final int MAX_PROBES_PER_CALL = 256;

    private final ProbeSettings settings;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final ProbeListener listener;
    private final Selector selector;
    private final DatagramChannel udp;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer udpBuffer = ByteBuffer.allocateDirect(ProbeFrame.MAX_LENGTH + 1);
    /** Ready-key handler kept in a field: {@code select(Consumer)} then allocates no iterator per call. */
    private final Consumer<SelectionKey> onReady = this::handleReady;

    private final int n;
    private final InetSocketAddress[] address;
    private final long[] intervalNs;
    private final Integer[] attachment;
    private final DeadlineQueue due;
    private final SocketChannel[] conn;
    private final SelectionKey[] key;
    private final byte[] tcpState;
    private final long[] connectStartNs;
    private final long[] connectedAtNs;
    private final long[] tcpSeq;
    private final long[] tcpSentNs;
    private final long[] udpSeq;
    private final long[] udpSentNs;
    private final ByteBuffer[] writeBuf;
    private final ByteBuffer[] readBuf;

    private final long sweepIntervalNs;
    private long nextSweepNs;
    private long nextSeq;
    private long sent;
    private long lost;
    private long corrupt;

    public Prober(List<Target> targets, ProbeSettings settings, NanoClock nanoClock, EpochClock epochClock,
                  ProbeListener listener) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.listener = listener;
        this.n = targets.size();
        address = new InetSocketAddress[n];
        intervalNs = new long[n];
        attachment = new Integer[n];
        conn = new SocketChannel[n];
        key = new SelectionKey[n];
        tcpState = new byte[n];
        connectStartNs = new long[n];
        connectedAtNs = new long[n];
        tcpSeq = new long[n];
        tcpSentNs = new long[n];
        udpSeq = new long[n];
        udpSentNs = new long[n];
        writeBuf = new ByteBuffer[n];
        readBuf = new ByteBuffer[n];
        long now = nanoClock.nanoTime();
        long[] first = new long[n];
        for (int i = 0; i < n; i++) {
            Target t = targets.get(i);
            address[i] = t.address();
            intervalNs[i] = t.intervalNs();
            attachment[i] = i;
            // spread first probes over one interval so the mesh does not fire in bursts
            first[i] = now + (long) ((double) t.intervalNs() * ((i * 0.6180339887498949) % 1.0));
        }
        due = new DeadlineQueue(first);
        sweepIntervalNs = Math.max(1_000_000, Math.min(10_000_000, settings.timeoutNs() / 4));
        nextSweepNs = now + sweepIntervalNs;
        try {
            selector = Selector.open();
            udp = DatagramChannel.open();
            udp.configureBlocking(false);
            udp.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open probe channels: " + e.getMessage(), e);
        }
    }

    public int peerCount() {
        return n;
    }

    public long sentCount() {
        return sent;
    }

    public long lostCount() {
        return lost;
    }

    public long corruptCount() {
        return corrupt;
    }

    /** Nanoseconds until the next scheduled probe or timeout sweep (0 when something is due). */
    public long nanosUntilNextWork() {
        long next = Math.min(due.peekDeadline(), nextSweepNs);
        return Math.max(0, next - nanoClock.nanoTime());
    }

    /** Blocks in the selector until a reply arrives, the next probe is due, or {@code maxBlockMs}. */
    public IdleStrategy idleStrategy(long maxBlockMs) {
        return work -> {
            if (work > 0) {
                return;
            }
            try {
                awaitReadiness(Math.min(maxBlockMs, waitMs(nanosUntilNextWork())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * Milliseconds to block for {@code waitNs}: rounded up, so that a probe due in 0.3 ms is sent up to 1 ms
     * late rather than spinning the core until then (epoll's timeout has millisecond granularity).
     */
    public static long waitMs(long waitNs) {
        return waitNs <= 0 ? 0 : (waitNs + 999_999) / 1_000_000;
    }

    /**
     * Blocks until a reply or connect completes, or {@code maxWaitMs} passes (0: do not block), and handles
     * what became ready right there, so a reply is timestamped the moment the thread wakes.
     */
    public void awaitReadiness(long maxWaitMs) throws IOException {
        if (maxWaitMs > 0) {
            selector.select(onReady, maxWaitMs);
        }
    }

    @Override
    public int doWork() throws IOException {
        int work = selector.selectNow(onReady);
        long now = nanoClock.nanoTime();
        for (int i = 0; i < MAX_PROBES_PER_CALL && due.peekDeadline() <= now; i++) {
            int p = due.peek();
            long next = due.deadlineOf(p) + intervalNs[p];
            due.reschedule(p, next > now ? next : now + intervalNs[p]);
            fire(p, now);
            work++;
        }
        if (now >= nextSweepNs) {
            nextSweepNs = now + sweepIntervalNs;
            work += sweep(now);
        }
        return work;
    }

    private void handleReady(SelectionKey k) {
        if (!k.isValid()) {
            return;
        }
        if (k.channel() == udp) {
            try {
                receiveDatagrams();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        int p = (Integer) k.attachment();
        if (k.isConnectable()) {
            finishConnect(p);
            return;
        }
        if (k.isWritable()) {
            flush(p);
        }
        if (k.isValid() && k.isReadable()) {
            readReply(p);
        }
    }

    private void fire(int p, long now) {
        if (settings.udp()) {
            if (udpSeq[p] != 0 && now - udpSentNs[p] >= settings.timeoutNs()) {
                loss(p, ProbeMetric.UDP_RTT);
            }
            if (udpSeq[p] == 0) {
                sendDatagram(p, now);
            }
        }
        if (settings.tcp()) {
            switch (tcpState[p]) {
                case IDLE -> startConnect(p, now);
                case CONNECTING -> {
                    // the sweep times the handshake out
                }
                default -> {
                    if (tcpSeq[p] != 0) {
                        if (now - tcpSentNs[p] >= settings.timeoutNs()) {
                            loss(p, ProbeMetric.TCP_RTT);
                            closeConnection(p);
                            startConnect(p, now);
                        } // else: still within its timeout, this round is skipped
                    } else if (settings.reconnectIntervalNs() > 0
                        && now - connectedAtNs[p] >= settings.reconnectIntervalNs()) {
                        closeConnection(p);
                        startConnect(p, now);
                    } else {
                        sendRequest(p, now);
                    }
                }
            }
        }
    }

    private void sendDatagram(int p, long now) {
        long seq = ++nextSeq;
        ProbeFrame.writeRequest(udpBuffer, 0, settings.payloadBytes(), p, seq, now, crc);
        udpBuffer.limit(settings.payloadBytes()).position(0);
        udpSeq[p] = seq;
        udpSentNs[p] = now;
        sent++;
        try {
            udp.send(udpBuffer, address[p]); // 0 bytes sent (full buffer) shows up as a timeout
        } catch (IOException e) {
            udpSeq[p] = 0;
            loss(p, ProbeMetric.UDP_RTT);
        } finally {
            udpBuffer.clear();
        }
    }

    private void receiveDatagrams() throws IOException {
        for (int i = 0; i < 64; i++) {
            udpBuffer.clear();
            if (udp.receive(udpBuffer) == null) {
                break;
            }
            int length = udpBuffer.position();
            if (length < ProbeFrame.HEADER_LENGTH
                || ProbeFrame.validate(udpBuffer, 0, ProbeFrame.ECHO_REPLY, crc) != length) {
                corrupt++;
                continue;
            }
            int p = ProbeFrame.peer(udpBuffer, 0);
            if (p < 0 || p >= n || udpSeq[p] != ProbeFrame.sequence(udpBuffer, 0)) {
                continue; // late reply to a probe already counted as lost
            }
            udpSeq[p] = 0;
            long rttNs = nanoClock.nanoTime() - ProbeFrame.sendNs(udpBuffer, 0);
            listener.onSample(p, ProbeMetric.UDP_RTT, epochClock.epochMillis(), rttNs / 1e6);
        }
        udpBuffer.clear();
    }

    private void startConnect(int p, long now) {
        connectStartNs[p] = now;
        tcpSeq[p] = 0;
        sent++;
        try {
            SocketChannel ch = SocketChannel.open();
            conn[p] = ch;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (writeBuf[p] == null) {
                writeBuf[p] = ByteBuffer.allocateDirect(settings.payloadBytes());
                readBuf[p] = ByteBuffer.allocateDirect(settings.payloadBytes());
            }
            if (ch.connect(address[p])) {
                key[p] = ch.register(selector, SelectionKey.OP_READ, attachment[p]);
                connected(p);
            } else {
                key[p] = ch.register(selector, SelectionKey.OP_CONNECT, attachment[p]);
                tcpState[p] = CONNECTING;
            }
        } catch (IOException e) {
            loss(p, ProbeMetric.TCP_CONNECT);
            closeConnection(p);
        }
    }

    private void finishConnect(int p) {
        try {
            if (conn[p].finishConnect()) {
                key[p].interestOps(SelectionKey.OP_READ);
                connected(p);
            }
        } catch (IOException e) {
            loss(p, ProbeMetric.TCP_CONNECT);
            closeConnection(p);
        }
    }

    private void connected(int p) {
        long now = nanoClock.nanoTime();
        tcpState[p] = CONNECTED;
        connectedAtNs[p] = now;
        listener.onSample(p, ProbeMetric.TCP_CONNECT, epochClock.epochMillis(), (now - connectStartNs[p]) / 1e6);
        readBuf[p].clear();
        sendRequest(p, now);
    }

    private void sendRequest(int p, long now) {
        long seq = ++nextSeq;
        ByteBuffer w = writeBuf[p];
        w.clear();
        ProbeFrame.writeRequest(w, 0, settings.payloadBytes(), p, seq, now, crc);
        tcpSeq[p] = seq;
        tcpSentNs[p] = now;
        sent++;
        flush(p);
    }

    private void flush(int p) {
        try {
            conn[p].write(writeBuf[p]);
            key[p].interestOps(writeBuf[p].hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE
                : SelectionKey.OP_READ);
        } catch (IOException e) {
            brokenConnection(p);
        }
    }

    private void readReply(int p) {
        ByteBuffer r = readBuf[p];
        try {
            if (conn[p].read(r) < 0) {
                brokenConnection(p);
                return;
            }
        } catch (IOException e) {
            brokenConnection(p);
            return;
        }
        if (r.position() < ProbeFrame.HEADER_LENGTH) {
            return;
        }
        int length = ProbeFrame.validate(r, 0, ProbeFrame.ECHO_REPLY, crc);
        if (length != settings.payloadBytes() || ProbeFrame.peer(r, 0) != p) {
            corrupt++;
            brokenConnection(p);
            return;
        }
        if (r.position() < length) {
            return;
        }
        long now = nanoClock.nanoTime();
        if (tcpSeq[p] == ProbeFrame.sequence(r, 0)) {
            tcpSeq[p] = 0;
            listener.onSample(p, ProbeMetric.TCP_RTT, epochClock.epochMillis(),
                (now - ProbeFrame.sendNs(r, 0)) / 1e6);
        }
        r.clear(); // one request in flight: nothing follows the reply
    }

    private void brokenConnection(int p) {
        if (tcpSeq[p] != 0) {
            loss(p, ProbeMetric.TCP_RTT);
        }
        closeConnection(p);
    }

    private int sweep(long now) {
        long timeout = settings.timeoutNs();
        int work = 0;
        for (int p = 0; p < n; p++) {
            if (udpSeq[p] != 0 && now - udpSentNs[p] >= timeout) {
                loss(p, ProbeMetric.UDP_RTT);
                work++;
            }
            if (tcpState[p] == CONNECTING && now - connectStartNs[p] >= timeout) {
                loss(p, ProbeMetric.TCP_CONNECT);
                closeConnection(p);
                work++;
            } else if (tcpState[p] == CONNECTED && tcpSeq[p] != 0 && now - tcpSentNs[p] >= timeout) {
                loss(p, ProbeMetric.TCP_RTT); // the stream may still deliver the late reply: start afresh
                closeConnection(p);
                work++;
            }
        }
        return work;
    }

    private void loss(int p, ProbeMetric metric) {
        if (metric == ProbeMetric.UDP_RTT) {
            udpSeq[p] = 0;
        } else if (metric == ProbeMetric.TCP_RTT) {
            tcpSeq[p] = 0;
        }
        lost++;
        listener.onLoss(p, metric, epochClock.epochMillis());
    }

    private void closeConnection(int p) {
        tcpState[p] = IDLE;
        tcpSeq[p] = 0;
        if (key[p] != null) {
            key[p].cancel();
            key[p] = null;
        }
        if (conn[p] != null) {
            try {
                conn[p].close();
            } catch (IOException ignored) {
                // the connection is being abandoned; its loss is already counted
            }
            conn[p] = null;
        }
    }

    @Override
    public void onClose() {
        close();
    }

    @Override
    public void close() {
        for (int p = 0; p < n; p++) {
            closeConnection(p);
        }
        try {
            udp.close();
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String roleName() {
        return "prober";
    }
}
