package io.shadowvm.redirect.testing;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A child process for namespace tests: {@code NetnsServer NAME=IP:PORT ...} listens on each address, greets every
 * connection with NAME and a newline, echoes, prints "ready" once all are bound, and exits when stdin closes.
 */
public final class NetnsServer {
    private NetnsServer() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        for (String arg : args) {
            String name = arg.substring(0, arg.indexOf('='));
            String addr = arg.substring(arg.indexOf('=') + 1);
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(addr.substring(0, addr.lastIndexOf(':')),
                Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1))), 1024);
            byte[] greeting = (name + "\n").getBytes(StandardCharsets.US_ASCII);
            pool.execute(() -> {
                while (true) {
                    try {
                        Socket s = ss.accept();
                        pool.execute(() -> serve(s, greeting));
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // run until the parent closes our stdin (or kills us)
        }
        System.exit(0);
    }

    private static void serve(Socket s, byte[] greeting) {
        try (s) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(greeting);
            out.flush();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (Exception ignored) {
            // a client that resets is the client's business
        }
    }
}
