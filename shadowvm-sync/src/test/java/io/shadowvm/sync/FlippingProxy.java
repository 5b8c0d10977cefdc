package io.shadowvm.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay for fault tests: forwards every connection to {@code target}; in the first
 * {@code corruptConnections} connections it flips one bit of the client→server stream at byte
 * {@code flipAt}. Threads are daemons and stop on {@link #close()}.
 */
final class FlippingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long flipAt;
    private final AtomicInteger corruptLeft;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger flips = new AtomicInteger();

    FlippingProxy(InetSocketAddress target, long flipAt, int corruptConnections) throws IOException {
        this.server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        this.target = target;
        this.flipAt = flipAt;
        this.corruptLeft = new AtomicInteger(corruptConnections);
        Thread t = new Thread(this::acceptLoop, "flipping-proxy");
        t.setDaemon(true);
        t.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(upstream);
                connections.incrementAndGet();
                boolean corrupt = corruptLeft.getAndDecrement() > 0;
                pump(client, upstream, corrupt ? flipAt : -1);
                pump(upstream, client, -1);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, long flipAt) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            long seen = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (flipAt >= seen && flipAt < seen + n) {
                        buf[(int) (flipAt - seen)] ^= 0x04;
                        flips.incrementAndGet();
                    }
                    seen += n;
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // connection closed by either side
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }, "flipping-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
