package io.shadowvm.hypervisor.checkpoint;

import io.shadowvm.hypervisor.HypervisorException;
import io.shadowvm.sync.SyncSink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shadow host's end of the epoch stream: accepts one primary at a time over TCP, reads {@link EpochFrame}s,
 * has the {@link ShadowReplica} verify and commit each, and answers with an {@link EpochAck}. A refused epoch
 * leaves the replica at its previous epoch. The sink's thread is the replica's only writer; {@link #stop()} joins it
 * before anyone promotes.
 *
 * <p>On either transport a promotable epoch is one whose device state verifies: here {@link ShadowReplica#apply}
 * runs {@link DeviceStateBlob#verify} before the epoch is journaled; over the State Synchronization Engine,
 * {@link #startSync} opens a {@link SyncSink} whose validator is the same check ({@link DeviceStateBlob#SYNC_VALIDATOR}),
 * so an epoch whose device state does not verify is never applied nor acknowledged there either.
 */
public final class ReplicaSink implements AutoCloseable {
    private final ShadowReplica replica;
    private final ServerSocketChannel server;
    private final Thread thread;
    private final AtomicLong acked = new AtomicLong(-1);
    private final AtomicLong refused = new AtomicLong();
    private volatile String lastRefusal = "";
    private volatile boolean stopping;
    private final java.util.function.LongConsumer onCommit;

    public ReplicaSink(ShadowReplica replica, String bindHost) {
        this(replica, bindHost, e -> { });
    }

    /** @param onCommit runs on the sink's thread after each commit, before the ack (e.g. {@link SnapshotPublisher#publish}) */
    public ReplicaSink(ShadowReplica replica, String bindHost, java.util.function.LongConsumer onCommit) {
        this.replica = replica;
        this.onCommit = onCommit;
        this.acked.set(replica.committedEpoch());
        try {
            this.server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(bindHost, 0));
        } catch (IOException e) {
            throw new HypervisorException("cannot listen for epochs on " + bindHost + ": " + e.getMessage(), e);
        }
        this.thread = new Thread(this::run, "replica-sink");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * The QEMU replica's sink on the sync engine: a {@link SyncSink} on {@code ctx} (listen address, replica RAM file,
     * size, callbacks as the caller sets them) whose validator checks every epoch's critical blob with
     * {@link DeviceStateBlob#SYNC_VALIDATOR} before the epoch is applied: a device state that is truncated, of another
     * epoch, fails its CRC32C or is not a QEMU stream is rejected (counted by {@link SyncSink#rejectedEpochs()}, its
     * reason sent to the source), and the replica keeps the previous epoch, the one {@link Promoter} would use.
     */
    public static SyncSink startSync(SyncSink.Context ctx) {
        return SyncSink.start(ctx.validator(DeviceStateBlob.SYNC_VALIDATOR));
    }

    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new HypervisorException("sink socket closed: " + e.getMessage(), e);
        }
    }

    private void run() {
        while (!stopping) {
            try (SocketChannel c = server.accept()) {
                serve(c);
            } catch (IOException e) {
                if (stopping) {
                    return;
                }
                // the primary went away (e.g. SIGKILL of its host): keep the replica, wait for the next one
            }
        }
    }

    private void serve(SocketChannel c) throws IOException {
        byte[] header = new byte[EpochFrame.HEADER_BYTES];
        byte[] body = new byte[1 << 20];
        ByteBuffer ack = ByteBuffer.allocate(20 + EpochAck.MAX_REASON_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (!stopping) {
            if (!readFully(c, header, EpochFrame.HEADER_BYTES)) {
                return;
            }
            EpochFrame.Header h;
            try {
                h = EpochFrame.readHeader(header, replica.ram().sizeBytes());
            } catch (CorruptCheckpointException e) {
                refuse(c, ack, -1, e.getMessage());
                return; // framing is lost: drop the connection
            }
            if (body.length < h.bodyLen()) {
                body = new byte[h.bodyLen()];
            }
            if (!readFully(c, body, h.bodyLen())) {
                return; // a torn frame is never applied
            }
            try {
                replica.apply(h, body);
                onCommit.accept(h.epoch());
                acked.set(h.epoch());
                writeAck(c, ack, h.epoch(), 0, "");
            } catch (CorruptCheckpointException e) {
                refuse(c, ack, h.epoch(), e.getMessage());
            }
        }
    }

    private void refuse(SocketChannel c, ByteBuffer ack, long epoch, String why) throws IOException {
        refused.incrementAndGet();
        lastRefusal = why;
        writeAck(c, ack, epoch, 1, why);
    }

    private static void writeAck(SocketChannel c, ByteBuffer ack, long epoch, int status, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int rl = Math.min(r.length, EpochAck.MAX_REASON_BYTES);
        ack.clear();
        ack.putInt(EpochAck.MAGIC).putInt(status).putLong(epoch).putInt(rl).put(r, 0, rl).flip();
        while (ack.hasRemaining()) {
            c.write(ack);
        }
    }

    private static boolean readFully(SocketChannel c, byte[] dst, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(dst, 0, len);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The newest epoch this sink acknowledged (-1 before the first). */
    public long ackedEpoch() {
        return acked.get();
    }

    public long refusedEpochs() {
        return refused.get();
    }

    public String lastRefusal() {
        return lastRefusal;
    }

    public ShadowReplica replica() {
        return replica;
    }

    /** Stops accepting and waits for the sink's thread, so the replica has no writer left. */
    public void stop() {
        stopping = true;
        try {
            server.close();
            thread.interrupt();
            thread.join(5000);
        } catch (IOException e) {
            throw new HypervisorException("cannot close the sink: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
