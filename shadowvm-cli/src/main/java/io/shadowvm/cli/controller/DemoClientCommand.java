package io.shadowvm.cli.controller;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shadowvm demo-client} (hidden): the testbed demo's client, started inside a host namespace because
 * the testbed's data network is not reachable from the demo's own. Sends one key-value request after another
 * to each target (the ingress of a VM) and prints its running totals once a second ({@code ok N failed M}) until
 * its stdin closes.
 */
@Command(name = "demo-client", hidden = true, mixinStandardHelpOptions = true,
    description = "The testbed demo's client: key-value requests to each --target, totals printed every second.")
public final class DemoClientCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--target", required = true, split = ",", description = "host:port of a VM's ingress (repeatable).")
    List<String> targets;

    @Option(names = "--pause-ms", defaultValue = "20", description = "Pause between rounds (default ${DEFAULT-VALUE}).")
    long pauseMs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // until the demo goes away
                }
            } catch (IOException ignored) {
                // as end of file
            }
            running.set(false);
        }, "demo-client-stdin");
        stdin.setDaemon(true);
        stdin.start();
        long ok = 0;
        long failed = 0;
        long nextPrint = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (long i = 0; running.get(); i++) {
            for (String t : targets) {
                String request = i % 2 == 0 ? "SET k" + (i % 50) + " v" + i : "GET k" + (i % 50);
                String reply = call(t, request);
                if (reply.startsWith("OK") || reply.startsWith("VALUE") || reply.startsWith("NONE")) {
                    ok++;
                } else {
                    failed++;
                }
            }
            if (System.nanoTime() >= nextPrint) {
                out.println("ok " + ok + " failed " + failed);
                out.flush();
                nextPrint += TimeUnit.SECONDS.toNanos(1);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
        }
        out.println("ok " + ok + " failed " + failed);
        out.flush();
        return 0;
    }

    /** One request on a fresh connection; the answer line, or "" when it failed. */
    private static String call(String target, String request) {
        int colon = target.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))), 5_000);
            s.setSoTimeout(5_000);
            OutputStream o = s.getOutputStream();
            o.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            o.flush();
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return line == null ? "" : line;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
