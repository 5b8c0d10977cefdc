package io.shadowvm.redirect.l4;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.RelativeWeights;
import io.shadowvm.redirect.health.OutlierConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that sends its request and half-closes at once (busybox nc, {@code curl -T}, many RPC clients) must
 * still get the backend's answer through the redirector, also when its FIN arrives before the redirector's
 * connection to the backend is up.
 */
class HalfCloseRequestTest {
    @Test
    void shouldDeliverTheAnswerToAClientThatHalfClosedRightAfterItsRequest() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> serve(backend), "line-backend");
            server.setDaemon(true);
            server.start();
            L4Config config = L4Config.of(new InetSocketAddress("127.0.0.1", 0),
                    List.of(new Backend("a", new InetSocketAddress("127.0.0.1", backend.getLocalPort()))),
                    RelativeWeights.parse("a=1"))
                .withOutlier(OutlierConfig.defaults().withHealthChecks(0, 1_000_000_000L)).withIoThreads(1);
            try (L4Redirector r = L4Redirector.start(config)) {
                for (int i = 0; i < 50; i++) {
                    try (Socket s = new Socket()) {
                        s.connect(r.localAddress(), 2_000);
                        s.setSoTimeout(5_000);
                        OutputStream out = s.getOutputStream();
                        out.write(("GET k" + i + "\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        s.shutdownOutput();
                        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                        assertThat(answer).as("answer %d", i).isEqualTo("VALUE k" + i + "\n");
                    }
                }
            }
        }
    }

    /** One line in, (a little later) one line out, close: like the process guests' key-value protocol. */
    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket c = server.accept()) {
                String line = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
                Thread.sleep(5);
                c.getOutputStream().write(("VALUE " + (line == null ? "" : line.substring(4)) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            } catch (Exception e) {
                return;
            }
        }
    }
}
