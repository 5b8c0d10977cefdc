package io.shadowvm.hypervisor.process;

import io.shadowvm.hypervisor.HypervisorException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Sends POSIX signals to guest processes. Java has no API for SIGSTOP/SIGCONT, and forking {@code kill} for every
 * pause and resume costs milliseconds (tens on a loaded machine) that the guest spends paused; instead one
 * long-lived {@code /bin/sh} per JVM runs the shell's built-in {@code kill} (no fork) for each request and answers
 * with its exit status. If that shell is gone or misbehaves, the signal is sent by forking {@code kill} as before.
 * Thread-safe (one request at a time; each takes well under a millisecond).
 */
final class Signals {
    private static Process shell;
    private static OutputStream toShell;
    private static BufferedReader fromShell;

    private Signals() {
    }

    /** Sends {@code SIG<name>} (e.g. "STOP", "CONT") to {@code pid}; throws when the process does not exist. */
    static synchronized void send(String name, long pid) {
        if (!name.matches("[A-Z]{2,8}")) {
            throw new IllegalArgumentException("signal name '" + name + "' (expected: 2-8 capital letters)");
        }
        try {
            if (shell == null || !shell.isAlive()) {
                shell = new ProcessBuilder("/bin/sh").redirectErrorStream(true).start();
                toShell = shell.getOutputStream();
                fromShell = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8));
            }
            toShell.write(("kill -" + name + " " + pid + " 2>/dev/null; echo $?\n").getBytes(StandardCharsets.US_ASCII));
            toShell.flush();
            String status = fromShell.readLine();
            if (status == null || !status.strip().matches("\\d{1,3}")) {
                throw new IOException("the signal shell exited or answered " + status);
            }
            if (!status.strip().equals("0")) {
                throw new HypervisorException("kill -" + name + " " + pid + " failed (status " + status.strip() + ")");
            }
        } catch (IOException e) {
            if (shell != null) {
                shell.destroyForcibly();
            }
            shell = null;
            fork(name, pid);
        }
    }

    private static void fork(String name, long pid) {
        try {
            Process k = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
            if (!k.waitFor(5, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new HypervisorException("kill -" + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot signal process " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while signalling " + pid, e);
        }
    }
}
