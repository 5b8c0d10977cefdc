package io.shadowvm.hypervisor.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QMP client against a scripted QMP server on a real Unix domain socket. */
class QmpClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration T = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private Path sock;
    private ServerSocketChannel server;
    private Thread serverThread;
    private final CountDownLatch serverDone = new CountDownLatch(1);

    @BeforeEach
    void listen() throws IOException {
        sock = dir.resolve("qmp.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        serverThread = new Thread(this::serve, "fake-qmp");
        serverThread.setDaemon(true);
        serverThread.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        serverThread.join(2000);
    }

    /** Greets, answers qmp_capabilities, and scripts a few commands like QEMU 7.2 does. */
    private void serve() {
        try (SocketChannel c = server.accept()) {
            OutputStream out = Channels.newOutputStream(c);
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            write(out, "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}");
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode m = JSON.readTree(line);
                String id = m.path("id").asText();
                switch (m.path("execute").asText()) {
                    case "qmp_capabilities", "cont" -> write(out, "{\"return\": {}, \"id\": \"" + id + "\"}");
                    case "stop" -> {
                        write(out, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 5}, \"event\": \"STOP\"}");
                        write(out, "{\"return\": {}, \"id\": \"" + id + "\"}");
                    }
                    case "query-status" -> write(out, "{\"return\": {\"status\": \"running\", \"running\": true}, \"id\": \"" + id + "\"}");
                    case "qom-set" -> write(out, "{\"id\": \"" + id + "\", \"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device 'fb9' not found\"}}");
                    case "migrate" -> write(out, "{\"id\": \"" + id + "\", \"error\": {\"class\": \"GenericError\", \"desc\": \"There's a migration process in progress\"}}");
                    case "hang" -> { }
                    default -> write(out, "{\"id\": \"" + id + "\", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command "
                            + m.path("execute").asText() + " has not been found\"}}");
                }
            }
        } catch (IOException e) {
            // the client closed; the test decides what that means
        } finally {
            serverDone.countDown();
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write((s + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void shouldNegotiateCapabilitiesAndReportTheQemuVersion() {
        try (QmpClient qmp = QmpClient.connect(sock, T)) {
            assertThat(qmp.qemuVersion().path("major").asInt()).isEqualTo(7);
            assertThat(qmp.execute("query-status", T).path("status").asText()).isEqualTo("running");
        }
    }

    @Test
    void shouldDeliverAsyncEventsToWaiters() {
        try (QmpClient qmp = QmpClient.connect(sock, T)) {
            qmp.execute("stop", T);
            QmpEvent e = qmp.awaitEvent("STOP", x -> true, T);
            assertThat(e.timestampMicros()).isEqualTo(1_000_005L);
        }
    }

    @Test
    void shouldThrowOneExceptionTypePerQmpErrorClass() {
        try (QmpClient qmp = QmpClient.connect(sock, T)) {
            assertThatThrownBy(() -> qmp.execute("qom-set", QmpClient.args().put("path", "fb9"), T))
                    .isInstanceOf(QmpCommandException.DeviceNotFound.class)
                    .hasMessageContaining("qom-set").hasMessageContaining("fb9");
            assertThatThrownBy(() -> qmp.execute("migrate", T)).isInstanceOf(QmpCommandException.GenericError.class);
            assertThatThrownBy(() -> qmp.execute("no-such", T)).isInstanceOf(QmpCommandException.CommandNotFound.class);
        }
    }

    @Test
    void shouldTimeOutAnUnansweredCommandAndNameIt() {
        try (QmpClient qmp = QmpClient.connect(sock, T)) {
            assertThatThrownBy(() -> qmp.execute("hang", Duration.ofMillis(50)))
                    .isInstanceOf(QmpTimeoutException.class).hasMessageContaining("'hang'").hasMessageContaining("50 ms");
            assertThatThrownBy(() -> qmp.awaitEvent("RESUME", x -> true, Duration.ofMillis(20)))
                    .isInstanceOf(QmpTimeoutException.class).hasMessageContaining("RESUME");
        }
    }

    @Test
    void shouldRefuseASecondOwnerOfTheSameSocket() {
        try (QmpClient qmp = QmpClient.connect(sock, T)) {
            assertThatThrownBy(() -> QmpClient.connect(sock, T))
                    .isInstanceOf(QmpConnectionException.class).hasMessageContaining("already has an owner");
            assertThat(qmp.isOpen()).isTrue();
        }
    }

    @Test
    void shouldFailPendingCommandsWhenQemuGoesAway() throws Exception {
        QmpClient qmp = QmpClient.connect(sock, T);
        try {
            server.close();
            qmp.close();
            assertThat(serverDone.await(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> qmp.execute("query-status", T)).isInstanceOf(QmpConnectionException.class);
        } finally {
            qmp.close();
        }
    }

    @Test
    void shouldTimeOutWhenNoSocketAppears() {
        assertThatThrownBy(() -> QmpClient.connect(dir.resolve("absent.sock"), Duration.ofMillis(30)))
                .isInstanceOf(QmpTimeoutException.class).hasMessageContaining("does not exist");
    }
}
