package io.shadowvm.monitor.probe;

import io.shadowvm.core.agent.Agent;
import io.shadowvm.core.agent.IdleStrategy;
import io.shadowvm.core.time.EpochClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Answers probes on one port, TCP and UDP: every valid request frame comes back as a reply with the
 * receive time stamped in. Non-blocking NIO on one thread; a connection whose peer sends a corrupt frame
 * is closed (its stream cannot be resynchronised), a corrupt datagram is dropped; both are counted.
 * A connection whose reply cannot be written yet stops being read until the reply is flushed, so a slow
 * reader cannot make the responder buffer without bound.
 */
public final class ProbeResponder implements Agent, AutoCloseable {
    private static final int MAX_CONNECTIONS = 65_536;

    private final Selector selector;
    private final ServerSocketChannel server;
    private final DatagramChannel udp;
    private final EpochClock epochClock;
    private final ByteBuffer datagram = ByteBuffer.allocateDirect(ProbeFrame.MAX_LENGTH + 1);
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(256 * 1024);
    private final CRC32C crc = new CRC32C();
    /** Ready-key handler kept in a field: {@code select(Consumer)} then allocates nothing per call. */
    private final Consumer<SelectionKey> onReady = this::handleReady;
    private final InetSocketAddress tcpAddress;
    private int connections;
    private long answered;
    private long corrupt;

    /** Binds TCP and UDP on {@code bind} (port 0 picks a free port, the same for both when possible). */
    public ProbeResponder(InetSocketAddress bind, EpochClock epochClock) {
        this.epochClock = epochClock;
        try {
            selector = Selector.open();
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(bind, 1024);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            tcpAddress = (InetSocketAddress) server.getLocalAddress();
            udp = DatagramChannel.open();
            udp.bind(new InetSocketAddress(bind.getAddress(), tcpAddress.getPort()));
            udp.configureBlocking(false);
            udp.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for probes on " + bind + ": " + e.getMessage(), e);
        }
    }

    /** The bound address; UDP uses the same port. */
    public InetSocketAddress address() {
        return tcpAddress;
    }

    public long answeredCount() {
        return answered;
    }

    public long corruptCount() {
        return corrupt;
    }

    /** Blocks in the selector for up to {@code maxBlockMs} when there was nothing to do. */
    public IdleStrategy idleStrategy(long maxBlockMs) {
        return work -> {
            if (work == 0) {
                try {
                    selector.select(onReady, maxBlockMs); // handles requests the moment they arrive
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    @Override
    public int doWork() throws IOException {
        return selector.selectNow(onReady);
    }

    private void handleReady(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.channel() == server) {
                accept();
            } else if (key.channel() == udp) {
                answerDatagrams();
            } else {
                serve(key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int accept() throws IOException {
        int n = 0;
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            if (connections >= MAX_CONNECTIONS) {
                ch.close();
                continue;
            }
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.register(selector, SelectionKey.OP_READ, new Connection());
            connections++;
            n++;
        }
        return n;
    }

    private int answerDatagrams() throws IOException {
        int n = 0;
        for (int i = 0; i < 64; i++) {
            datagram.clear();
            SocketAddress from = udp.receive(datagram);
            if (from == null) {
                break;
            }
            n++;
            int length = datagram.position();
            int valid = length >= ProbeFrame.HEADER_LENGTH
                ? ProbeFrame.validate(datagram, 0, ProbeFrame.ECHO_REQUEST, crc) : ProbeFrame.Problem.BAD_LENGTH;
            if (valid != length) {
                corrupt++;
                continue;
            }
            ProbeFrame.toReply(datagram, 0, epochClock.epochMillis() * 1_000, crc);
            datagram.flip();
            udp.send(datagram, from);
            answered++;
        }
        return n;
    }

    private int serve(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        SocketChannel ch = (SocketChannel) key.channel();
        try {
            if (key.isWritable()) {
                ch.write(c.out);
                if (c.out.hasRemaining()) {
                    return 1;
                }
                key.interestOps(SelectionKey.OP_READ);
            }
            if (c.discardRemaining > 0) {
                discard(key, c, ch);
                return 1;
            }
            if (c.in.hasRemaining() && ch.read(c.in) < 0) {
                closeConnection(key);
                return 1;
            }
            processFrames(key, c, ch);
            return 1;
        } catch (IOException e) {
            closeConnection(key);
            return 1;
        }
    }

    private void processFrames(SelectionKey key, Connection c, SocketChannel ch) throws IOException {
        c.in.flip();
        while (c.discardRemaining == 0 && c.in.remaining() >= ProbeFrame.HEADER_LENGTH) {
            int at = c.in.position();
            byte type = ProbeFrame.type(c.in, at);
            int length = ProbeFrame.validate(c.in, at, type == ProbeFrame.BULK_START ? ProbeFrame.BULK_START
                : ProbeFrame.ECHO_REQUEST, crc);
            if (length < 0) {
                corrupt++;
                closeConnection(key);
                return;
            }
            if (type == ProbeFrame.BULK_START) {
                long bytes = ProbeFrame.sequence(c.in, at);
                if (length != ProbeFrame.HEADER_LENGTH || bytes < 1 || bytes > ProbeFrame.MAX_BULK_BYTES) {
                    corrupt++;
                    closeConnection(key);
                    return;
                }
                c.in.position(at + length);
                c.discardRemaining = bytes;
                c.discardTotal = bytes;
                c.discardStartNs = System.nanoTime();
                int buffered = (int) Math.min(c.in.remaining(), bytes);
                c.in.position(c.in.position() + buffered);
                if (discarded(key, c, ch, buffered) || c.out.hasRemaining()) {
                    break;
                }
                continue;
            }
            if (c.in.remaining() < length) {
                if (length > c.in.capacity()) {
                    c.grow(length);
                    return;
                }
                break;
            }
            ProbeFrame.toReply(c.in, at, epochClock.epochMillis() * 1_000, crc);
            c.out.clear();
            if (c.out.capacity() < length) {
                c.out = ByteBuffer.allocateDirect(length);
            }
            int limit = c.in.limit();
            c.in.limit(at + length);
            c.out.put(c.in);
            c.in.limit(limit);
            c.out.flip();
            ch.write(c.out);
            answered++;
            if (c.out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_WRITE); // stop reading until the reply is out
                break;
            }
        }
        c.in.compact();
    }

    /** Accounts {@code n} discarded bulk bytes; answers when the transfer is complete. True if still discarding. */
    private boolean discarded(SelectionKey key, Connection c, SocketChannel ch, long n) throws IOException {
        c.discardRemaining -= n;
        if (c.discardRemaining > 0) {
            return true;
        }
        long elapsedUs = (System.nanoTime() - c.discardStartNs) / 1_000;
        c.out.clear();
        ProbeFrame.writeControl(c.out, 0, ProbeFrame.BULK_DONE, c.discardTotal, elapsedUs, crc);
        c.out.limit(ProbeFrame.HEADER_LENGTH).position(0);
        ch.write(c.out);
        if (c.out.hasRemaining()) {
            key.interestOps(SelectionKey.OP_WRITE);
        }
        return false;
    }

    /** Bulk bytes go straight into a scratch buffer, not the frame buffer. */
    private void discard(SelectionKey key, Connection c, SocketChannel ch) throws IOException {
        for (int i = 0; i < 16 && c.discardRemaining > 0; i++) {
            scratch.clear();
            scratch.limit((int) Math.min(scratch.capacity(), c.discardRemaining));
            int n = ch.read(scratch);
            if (n < 0) {
                closeConnection(key);
                return;
            }
            if (n == 0) {
                return;
            }
            discarded(key, c, ch, n);
        }
    }

    private void closeConnection(SelectionKey key) {
        key.cancel();
        connections--;
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing a broken connection: nothing left to report
        }
    }

    @Override
    public void onClose() {
        close();
    }

    @Override
    public void close() {
        try {
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String roleName() {
        return "probe-responder";
    }

    /** Per-connection buffers; grown (cold path) up to the frame length a peer uses. */
    private static final class Connection {
        ByteBuffer in = ByteBuffer.allocateDirect(256);
        long discardRemaining;
        long discardTotal;
        long discardStartNs;
        ByteBuffer out = ByteBuffer.allocateDirect(256).flip();

        void grow(int length) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(length);
            bigger.put(in); // the unread rest of the flipped buffer: the partial frame
            in = bigger;
        }
    }
}
