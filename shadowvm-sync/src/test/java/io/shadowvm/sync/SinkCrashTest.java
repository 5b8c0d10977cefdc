package io.shadowvm.sync;

import static io.shadowvm.sync.EndToEndTest.bytes;
import static io.shadowvm.sync.EndToEndTest.takeUntilAcked;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.sync.codec.Compression;
import io.shadowvm.sync.region.HeapRegion;
import io.shadowvm.sync.sink.ReplicaStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a sink (a real JVM) in the middle of an epoch and checks the replica still holds the previous one. */
class SinkCrashTest {
    @TempDir
    Path dir;

    private static Process startSink(Path replica, long size, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            SinkMain.class.getName(), replica.toString(), Long.toString(size), Integer.toString(port))
            .redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null && !line.startsWith("LISTENING")) {
            // JVM warnings, if any
        }
        assertThat(line).as("sink child output").startsWith("LISTENING");
        Thread drain = new Thread(() -> {
            try {
                while (r.readLine() != null) {
                    // keep the pipe empty
                }
            } catch (java.io.IOException e) {
                // child gone
            }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void shouldKeepThePreviousEpochWhenTheSinkProcessIsKilledMidEpoch() throws Exception {
        long size = 16L << 20;
        HeapRegion primary = new HeapRegion(size);
        Path replica = dir.resolve("replica.ram");
        Path journal = dir.resolve("replica.ram.sync-journal");
        int port = freePort();
        Process sink = startSink(replica, size, port);
        try (SyncSource source = SyncSource.start(new SyncSource.Context().region(primary).reconnectDelayMs(50)
                .compression(Compression.NONE).bandwidthBytesPerSec(8L << 20)
                .shadows(List.of(new InetSocketAddress("127.0.0.1", port))))) {
            Random rnd = new Random(3);
            byte[] chunk = new byte[1 << 20];
            rnd.nextBytes(chunk);
            primary.write(0, chunk, 0, chunk.length);
            EpochTicket first = takeUntilAcked(source, source.takeEpoch("one".getBytes()), "one".getBytes());
            byte[] acked = bytes(primary);

            // a big epoch of random pages, slowed by the bandwidth cap; kill the sink while it is staged
            for (long off = 0; off < size; off += chunk.length) {
                rnd.nextBytes(chunk);
                primary.write(off, chunk, 0, chunk.length);
            }
            EpochTicket big = source.takeEpoch("two".getBytes());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((!Files.exists(journal) || Files.size(journal) < (2L << 20)) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(Files.size(journal)).as("journal of the staged epoch").isGreaterThanOrEqualTo(2L << 20);
            assertThat(big.acked()).isNotDone();
            sink.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            try (ReplicaStore store = ReplicaStore.open(replica, 0, false)) {
                assertThat(store.appliedEpoch()).isEqualTo(first.epoch());
                assertThat(new String(store.critical(), StandardCharsets.UTF_8)).isEqualTo("one");
                assertThat(store.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(acked);
            }
            assertThat(journal).as("the uncommitted journal is discarded on open").doesNotExist();

            // a new sink process on the same replica resumes the stream
            sink = startSink(replica, size, port);
            EpochTicket done = takeUntilAcked(source, big, "three".getBytes());
            assertThat(done.epoch()).isGreaterThan(big.epoch());
            sink.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            try (ReplicaStore store = ReplicaStore.open(replica, 0, false)) {
                assertThat(store.withConsistentReplica(EndToEndTest::bytes)).isEqualTo(bytes(primary));
            }
        } finally {
            sink.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

}
