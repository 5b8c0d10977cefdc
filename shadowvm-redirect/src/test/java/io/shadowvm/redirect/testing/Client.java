package io.shadowvm.redirect.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Blocking test client for {@link EchoBackend}s behind a proxy. */
public final class Client implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final String backend;

    public Client(InetSocketAddress proxy) throws IOException {
        socket = new Socket();
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        socket.connect(proxy, 10_000);
        in = socket.getInputStream();
        backend = readLine();
    }

    /** The name the backend greeted this connection with. */
    public String backend() {
        return backend;
    }

    /** Sends {@code text} and returns what came back (same length). */
    public String echo(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        byte[] b = in.readNBytes(text.length());
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** Half-closes the sending side and reads everything until the peer closes. */
    public String halfCloseAndDrain() throws IOException {
        socket.shutdownOutput();
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    public InputStream input() {
        return in;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed before the backend greeted (got '" + b + "')");
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
