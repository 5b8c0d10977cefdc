package io.shadowvm.agent.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.api.proto.TelemetryBatch;
import io.shadowvm.core.ShadowVmException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RackUplinkTest {
    @Test
    void bucket_admits_its_burst_at_once_then_spaces_bytes_at_its_rate() {
        TokenBucket b = new TokenBucket(1_000_000, 10_000_000L); // 1 MB/s = 1 µs per byte, 10 ms burst
        assertThat(b.reserve(10_000, 0)).isZero();               // 10 ms worth fits the burst
        assertThat(b.reserve(1_000, 0)).isEqualTo(1_000_000L);   // the next kilobyte waits 1 ms
        assertThat(b.reserve(1_000, 50_000_000L)).isZero();      // idle time refills
    }

    @Test
    void bucket_rejects_a_rate_out_of_range_naming_it() {
        assertThatThrownBy(() -> new TokenBucket(10, 0)).isInstanceOf(ShadowVmException.class).hasMessageContaining("10 B/s");
    }

    @Test
    void relay_carries_bytes_both_ways_and_reports_them_as_the_uplink_utilization() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
             RackUplink u = new RackUplink("r1-spine", 80_000_000L, System::nanoTime)) {
            Thread server = new Thread(() -> {
                try (Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (Exception e) {
                    // test ends
                }
            });
            server.setDaemon(true);
            server.start();
            RackUplink.Front f = u.front("127.0.0.1:" + echo.getLocalPort());
            u.collect(TelemetryBatch.newBuilder(), 0); // opens the first window
            byte[] payload = new byte[64_000];
            Arrays.fill(payload, (byte) 7);
            byte[] back = new byte[payload.length];
            try (Socket c = new Socket("127.0.0.1", Integer.parseInt(f.address().substring(f.address().indexOf(':') + 1)))) {
                OutputStream o = c.getOutputStream();
                o.write(payload);
                c.shutdownOutput();
                InputStream i = c.getInputStream();
                int n = 0;
                int r;
                while (n < back.length && (r = i.read(back, n, back.length - n)) > 0) {
                    n += r;
                }
                assertThat(n).isEqualTo(payload.length);
            }
            assertThat(back).isEqualTo(payload);
            assertThat(u.bytes()).isGreaterThanOrEqualTo(2L * payload.length - 8_192);
            TelemetryBatch.Builder b = TelemetryBatch.newBuilder();
            u.collect(b, 1_000);
            assertThat(b.getLinksCount()).isEqualTo(1);
            assertThat(b.getLinks(0).getLink()).isEqualTo("r1-spine");
            assertThat(b.getLinks(0).getUtilization()).isGreaterThan(0).isLessThanOrEqualTo(1.0);
        }
    }
}
