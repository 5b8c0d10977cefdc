package io.shadowvm.monitor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.ManualClock;
import io.shadowvm.core.time.NanoClock;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeMeshTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private ProbeResponder responder() {
        ProbeResponder r = new ProbeResponder(ANY_LOOPBACK, EpochClock.SYSTEM);
        closeables.add(r);
        return r;
    }

    private Prober prober(List<Prober.Target> targets, ProbeSettings settings, NanoClock nanos, EpochClock epoch,
                          ProbeListener listener) {
        Prober p = new Prober(targets, settings, nanos, epoch, listener);
        closeables.add(p);
        return p;
    }

    private static Prober.Target target(String name, ProbeResponder r, long intervalMs) {
        return new Prober.Target(name, r.address(), TimeUnit.MILLISECONDS.toNanos(intervalMs));
    }

    @Test
    void shouldMeasureTcpConnectTcpRoundTripAndUdpRoundTripOnLoopback() throws Exception {
        ProbeResponder r = responder();
        RecordingListener events = new RecordingListener();
        Prober p = prober(List.of(target("h2", r, 20)), ProbeSettings.DEFAULT, NanoClock.SYSTEM, EpochClock.SYSTEM,
            events);
        boolean done = Drive.until(() -> events.samples(0, ProbeMetric.TCP_RTT) >= 5
            && events.samples(0, ProbeMetric.UDP_RTT) >= 5, 10_000, p, r);
        assertThat(done).as("5 TCP and 5 UDP round trips within 10 s").isTrue();
        assertThat(events.samples(0, ProbeMetric.TCP_CONNECT)).isGreaterThanOrEqualTo(1);
        assertThat(events.losses(0)).isZero();
        assertThat(events.events).filteredOn(e -> !e.lost())
            .allSatisfy(e -> assertThat(e.valueMs()).isBetween(0.0, 1_000.0));
        assertThat(r.answeredCount()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void shouldEchoALargeConfiguredPayloadOverTcpAndUdp() throws Exception {
        ProbeResponder r = responder();
        RecordingListener events = new RecordingListener();
        Prober p = prober(List.of(target("h2", r, 10)), ProbeSettings.DEFAULT.withPayloadBytes(32_000),
            NanoClock.SYSTEM, EpochClock.SYSTEM, events);
        assertThat(Drive.until(() -> events.samples(0, ProbeMetric.TCP_RTT) >= 3
            && events.samples(0, ProbeMetric.UDP_RTT) >= 3, 10_000, p, r)).isTrue();
        assertThat(p.corruptCount()).isZero();
        assertThat(r.corruptCount()).isZero();
    }

    @Test
    void shouldCountAProbeUnansweredWithinTheTimeoutAsLost() throws Exception {
        ProbeResponder silent = responder(); // listening, but nobody calls doWork(): it never answers
        ManualClock clock = new ManualClock();
        RecordingListener events = new RecordingListener();
        Prober p = prober(List.of(target("h9", silent, 1_000)), ProbeSettings.DEFAULT.withTimeoutMs(200), clock,
            clock, events);
        // the kernel completes the handshake from the listen backlog, so connect succeeds
        assertThat(Drive.until(() -> events.samples(0, ProbeMetric.TCP_CONNECT) == 1, 5_000, p)).isTrue();
        assertThat(p.doWork()).isGreaterThanOrEqualTo(0);
        assertThat(events.losses(0)).isZero();

        clock.advanceMillis(199);
        p.doWork();
        assertThat(events.losses(0)).isZero();

        // timeouts are swept every min(10 ms, timeout / 4): detected at most one sweep late
        clock.advanceMillis(11);
        p.doWork();
        assertThat(events.losses(0, ProbeMetric.TCP_RTT)).isEqualTo(1);
        assertThat(events.losses(0, ProbeMetric.UDP_RTT)).isEqualTo(1);
        assertThat(p.lostCount()).isEqualTo(2);
    }

    @Test
    void shouldKeepProbingLivePeersWhileOneIsSilentAndAnotherRefuses() throws Exception {
        ProbeResponder live = responder();
        ProbeResponder silent = responder();
        InetSocketAddress refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = (InetSocketAddress) s.getLocalSocketAddress();
        }
        ManualClock clock = new ManualClock();
        RecordingListener events = new RecordingListener();
        long intervalMs = 20;
        Prober p = prober(List.of(target("live", live, intervalMs), target("silent", silent, intervalMs),
                new Prober.Target("gone", refused, TimeUnit.MILLISECONDS.toNanos(intervalMs))),
            ProbeSettings.DEFAULT.withTimeoutMs(50), clock, clock, events);
        int rounds = 20;
        int answeredRounds = 5; // then the "silent" responder stops answering (nobody drives it any more)
        for (int round = 1; round <= rounds; round++) {
            final int expected = round;
            boolean silentAnswers = round <= answeredRounds;
            // every round of the live peer completes, whatever the other two are doing (the silent peer's
            // rounds are phase-shifted by 12 ms: it has had one round fewer at each check)
            assertThat(silentAnswers
                ? Drive.until(() -> events.samples(0, ProbeMetric.TCP_RTT) == expected
                    && events.samples(0, ProbeMetric.UDP_RTT) == expected
                    && events.samples(1, ProbeMetric.TCP_RTT) == expected - 1, 5_000, p, live, silent)
                : Drive.until(() -> events.samples(0, ProbeMetric.TCP_RTT) == expected
                    && events.samples(0, ProbeMetric.UDP_RTT) == expected, 5_000, p, live))
                .as("round %d of the live peer", round).isTrue();
            clock.advanceMillis(intervalMs);
        }
        assertThat(Drive.until(() -> events.losses(2, ProbeMetric.TCP_CONNECT) >= rounds - 1, 5_000, p, live)).isTrue();
        assertThat(events.losses(0)).isZero();
        assertThat(events.samples(1, ProbeMetric.TCP_RTT)).isEqualTo(answeredRounds - 1);
        // 15 unanswered rounds, 50 ms timeout at 20 ms rounds: one probe per protocol out at a time, so a
        // loss about every third round
        assertThat(events.losses(1, ProbeMetric.TCP_RTT)).isBetween(3L, 7L);
        assertThat(events.losses(1, ProbeMetric.UDP_RTT)).isBetween(3L, 7L);
    }

    @Test
    void shouldCloseATcpConnectionThatSendsACorruptFrame() throws Exception {
        ProbeResponder r = responder();
        try (Socket s = new Socket(r.address().getAddress(), r.address().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[64]); // zeros: bad magic
            out.flush();
            InputStream in = s.getInputStream();
            assertThat(Drive.until(() -> r.corruptCount() == 1, 5_000, r)).isTrue();
            s.setSoTimeout(5_000);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void shouldDropACorruptDatagramWithoutAnswering() throws Exception {
        ProbeResponder r = responder();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.send(new DatagramPacket(new byte[50], 50, r.address()));
            assertThat(Drive.until(() -> r.corruptCount() == 1, 5_000, r)).isTrue();
            assertThat(r.answeredCount()).isZero();
        }
    }
}
