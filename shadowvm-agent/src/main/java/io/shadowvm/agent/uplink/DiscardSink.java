package io.shadowvm.agent.uplink;

import io.shadowvm.core.ShadowVmException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A TCP server on 127.0.0.1 that reads and drops everything: the receiving end of a bulk transfer. */
public final class DiscardSink implements AutoCloseable {
    private final ServerSocket server;

    public DiscardSink() {
        try {
            server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new ShadowVmException("discard sink: cannot listen: " + e.getMessage(), e);
        }
        Thread t = new Thread(this::acceptLoop, "discard-sink-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> drain(s), "discard-sink-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void drain(Socket s) {
        byte[] buf = new byte[16_384];
        try (s; InputStream in = s.getInputStream()) {
            while (in.read(buf) > 0) {
                // dropped
            }
        } catch (IOException e) {
            // sender gone
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
    }
}
