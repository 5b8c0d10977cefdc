package io.shadowvm.redirect.l4;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.redirect.RelativeWeights;
import io.shadowvm.redirect.Transport;
import io.shadowvm.redirect.health.OutlierConfig;
import io.shadowvm.redirect.testing.Client;
import io.shadowvm.redirect.testing.EchoBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class L4RedirectorTest {
    static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);
    EchoBackend a;
    EchoBackend b;
    ExecutorService pool;

    @BeforeEach
    void setUp() {
        a = new EchoBackend("a");
        b = new EchoBackend("b");
        pool = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        a.close();
        b.close();
    }

    L4Config config(String weights) {
        // active health checks off: the tests drive ejection with real connect failures
        return L4Config.of(ANY, List.of(a.backend(), b.backend()), RelativeWeights.parse(weights))
            .withOutlier(OutlierConfig.defaults().withHealthChecks(0, 1_000_000_000L))
            .withIoThreads(2);
    }

    /** Opens {@code n} connections with 16 in flight; returns how many each backend served. Fails on any error. */
    Map<String, Integer> run(InetSocketAddress proxy, int n) throws Exception {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            fs.add(pool.submit(() -> {
                while (next.getAndIncrement() < n) {
                    try (Client c = new Client(proxy)) {
                        assertThat(c.echo("ping")).isEqualTo("ping");
                        counts.merge(c.backend(), 1, Integer::sum);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get(120, TimeUnit.SECONDS); // rethrows the first dropped, reset or short connection
        }
        return counts;
    }

    @Test
    void relaysBytesBothWaysThroughTheChosenBackend() throws Exception {
        try (L4Redirector proxy = L4Redirector.start(config("a=1"));
             Client c = new Client(proxy.localAddress())) {
            assertThat(c.backend()).isEqualTo("a");
            assertThat(c.echo("hello")).isEqualTo("hello");
            String big = "x".repeat(300_000);
            assertThat(c.echo(big)).isEqualTo(big);
        }
    }

    @Test
    void tenThousandConnectionsAcrossWeightChangesAreNeverDroppedAndSplitByWeight() throws Exception {
        try (L4Redirector proxy = L4Redirector.start(config("a=100,b=0"))) {
            InetSocketAddress addr = proxy.localAddress();
            List<Client> longLived = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                longLived.add(new Client(addr));
            }
            Map<String, Integer> phase1 = run(addr, 3334);
            proxy.setWeights(RelativeWeights.parse("a=70,b=30"));
            Map<String, Integer> phase2 = run(addr, 3333);
            proxy.setWeights(RelativeWeights.parse("a=0,b=100"));
            Map<String, Integer> phase3 = run(addr, 3333);

            assertThat(phase1).containsExactlyEntriesOf(Map.of("a", 3334));
            assertThat(phase2.get("a") / 3333.0).isBetween(0.69, 0.71);
            assertThat(phase2.get("b") / 3333.0).isBetween(0.29, 0.31);
            assertThat(phase3).containsExactlyEntriesOf(Map.of("b", 3333));
            for (Client c : longLived) {
                assertThat(c.backend()).isEqualTo("a");
                assertThat(c.echo("still-here")).isEqualTo("still-here");
                c.close();
            }
            assertThat(proxy.stats().get("a").connections()).isEqualTo(20 + 3334 + phase2.get("a"));
            assertThat(proxy.stats().get("b").connections()).isEqualTo(phase2.get("b") + 3333);
        }
    }

    @Test
    void halfCloseIsPassedOnAndTheAnswerAfterItStillArrives() throws Exception {
        try (L4Redirector proxy = L4Redirector.start(config("a=1"));
             Client c = new Client(proxy.localAddress())) {
            assertThat(c.echo("ab")).isEqualTo("ab");
            assertThat(c.halfCloseAndDrain()).isEqualTo("bye");
        }
    }

    @Test
    void aBackendKilledMidStreamFailsItsConnectionsCleanlyAndNewOnesGoElsewhere() throws Exception {
        try (L4Redirector proxy = L4Redirector.start(config("a=50,b=50"))) {
            InetSocketAddress addr = proxy.localAddress();
            List<Client> onB = new ArrayList<>();
            while (onB.size() < 3) {
                Client c = new Client(addr);
                if (c.backend().equals("b")) {
                    onB.add(c);
                } else {
                    c.close();
                }
            }
            b.kill();
            for (Client c : onB) {
                // the proxy passes the backend's close on: end of stream, not a hang
                assertThat(c.input().read()).isEqualTo(-1);
                c.close();
            }
            Map<String, Integer> after = run(addr, 200);
            assertThat(after).containsOnlyKeys("a");
            assertThat(after.get("a")).isEqualTo(200);
            assertThat(proxy.ejected()).containsExactly("b");
        }
    }

    @Test
    void activeHealthChecksEjectADeadBackendBeforeAnyClientTriesIt() throws Exception {
        L4Config cfg = config("a=50,b=50").withOutlier(OutlierConfig.defaults().withHealthChecks(20_000_000L,
            500_000_000L));
        try (L4Redirector proxy = L4Redirector.start(cfg)) {
            b.kill();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!proxy.ejected().contains("b") && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L); // bounded await of the condition
            }
            assertThat(proxy.ejected()).containsExactly("b");
            assertThat(proxy.stats().get("b").connections()).isZero();
            assertThat(run(proxy.localAddress(), 50)).containsExactlyEntriesOf(Map.of("a", 50));
        }
    }

    @Test
    void clientAffinityKeepsOneClientAddressOnOneBackend() throws Exception {
        try (L4Redirector proxy = L4Redirector.start(config("a=50,b=50").withAffinity(true))) {
            Map<String, Integer> counts = run(proxy.localAddress(), 100);
            assertThat(counts).hasSize(1); // every connection comes from 127.0.0.1
        }
    }

    @Test
    void spliceRelaysBytesAndHalfCloseWhenEpollIsAvailable() throws Exception {
        L4Config cfg = config("a=1").withSplice(true);
        try (L4Redirector proxy = L4Redirector.start(cfg);
             Client c = new Client(proxy.localAddress())) {
            assertThat(proxy.splicing()).isEqualTo(Transport.best() == Transport.EPOLL);
            String big = "y".repeat(1_000_000);
            assertThat(c.echo(big)).isEqualTo(big);
            assertThat(c.halfCloseAndDrain()).isEqualTo("bye");
        }
    }

    @Test
    void theNioTransportRelaysToo() throws Exception {
        try (L4Redirector proxy = L4Redirector.start(config("a=1,b=1").withTransport(Transport.NIO))) {
            assertThat(run(proxy.localAddress(), 100).values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(100);
        }
    }

    static void close(Client c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // test cleanup
        }
    }
}
