package io.shadowvm.monitor;

import io.shadowvm.core.ShadowVmException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one agent in this process and streams JSON lines to stdout until killed, {@code --duration-ms}
 * passes, or (with {@code --exit-on-stdin-eof}) stdin reaches end of file, so that an agent a test starts
 * inside a namespace goes away with its parent. The CLI's {@code shadowvm monitor} is the user-facing form of the same options.
 */
public final class MonitorMain {
    private MonitorMain() {
    }

    public static void main(String[] args) throws Exception {
        MonitorAgent agent;
        MonitorOptions o;
        try {
            o = MonitorOptions.parse(args);
            agent = MonitorAgent.start(o.toContext(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        } catch (ShadowVmException e) {
            new PrintWriter(System.err, true).println("monitor: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stop.countDown();
        }, "monitor-shutdown"));
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // discard: only end of file matters
                }
            } catch (java.io.IOException ignored) {
                // stdin closed abruptly: same as end of file
            }
            stop.countDown();
        }, "monitor-stdin");
        stdin.setDaemon(true);
        if (o.exitOnStdinEof) {
            stdin.start();
        }
        System.err.println("monitor: " + (o.host != null ? o.host : o.name) + " running, responder "
            + agent.responderAddress() + ", " + (agent.plan() == null ? 0 : agent.plan().size()) + " peers, "
            + agent.bindings().size() + " interfaces");
        if (o.durationMs > 0) {
            stop.await(o.durationMs, TimeUnit.MILLISECONDS);
        } else {
            stop.await();
        }
        agent.close();
        System.exit(0);
    }
}
