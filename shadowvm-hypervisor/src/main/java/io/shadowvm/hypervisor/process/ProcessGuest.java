package io.shadowvm.hypervisor.process;

import io.shadowvm.hypervisor.HypervisorException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A process guest: any command whose state is a mapped file. Pause is SIGSTOP and is complete only once every
 * thread of the process is stopped ({@code /proc/PID/task/*}/stat state {@code T}); resume is SIGCONT.
 *
 * <p>A KV guest started as a follower or a standby ({@link #startKvStandby}) is a warm spare: {@link #adopt} makes
 * it the primary on a state file in about a millisecond, where starting a JVM takes 0.3–1 s.
 */
public final class ProcessGuest implements AutoCloseable {
    private final Process process;
    private final Path stateFile;
    private final long stateBytes;
    private final int port;
    /** The guest's standard output, kept for a follower or standby that may adopt; null otherwise. */
    private final BufferedReader stdout;

    private ProcessGuest(Process process, Path stateFile, long stateBytes, int port, BufferedReader stdout) {
        this.process = process;
        this.stateFile = stateFile;
        this.stateBytes = stateBytes;
        this.port = port;
        this.stdout = stdout;
    }

    /** Whether {@link #adopt} applies: a KV follower or standby that has not adopted yet. */
    public boolean canAdopt() {
        return stdout != null && stateFile == null;
    }

    /** Starts any command; {@code stateFile} is the file it maps. */
    public static ProcessGuest start(List<String> command, Path stateFile, long stateBytes) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return new ProcessGuest(p, stateFile, stateBytes, 0, null);
        } catch (IOException e) {
            throw new HypervisorException("cannot start process guest " + command + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the sample key-value guest ({@link KvGuestMain}) as a child JVM and waits for its {@code READY} line.
     *
     * @param followDir null for a primary on {@code stateFile}; a directory to follow as a read-only serving instance
     */
    public static ProcessGuest startKv(Path stateFile, long stateBytes, Path followDir) {
        return launchKv(stateFile, stateBytes, followDir != null ? List.of("--follow", followDir.toString())
            : List.of("--state", stateFile.toString()));
    }

    /**
     * Starts a warm spare KV guest that {@link #adopt}s a state file on promotion: a read-only follower of
     * {@code followDir} (a serving shadow), or with {@code followDir} null a standby that serves nothing yet.
     */
    public static ProcessGuest startKvStandby(long stateBytes, Path followDir) {
        return launchKv(null, stateBytes, followDir != null ? List.of("--follow", followDir.toString())
            : List.of("--standby"));
    }

    private static ProcessGuest launchKv(Path stateFile, long stateBytes, List<String> mode) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), KvGuestMain.class.getName(), "--size", Long.toString(stateBytes), "--port", "0"));
        cmd.addAll(mode);
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null || !line.startsWith("READY ")) {
                p.destroyForcibly();
                throw new HypervisorException("process guest " + KvGuestMain.class.getSimpleName() + " did not start (printed: " + line + ")");
            }
            return new ProcessGuest(p, stateFile, stateBytes, Integer.parseInt(line.substring(6).strip()),
                stateFile == null ? r : null);
        } catch (IOException e) {
            throw new HypervisorException("cannot start the sample process guest: " + e.getMessage(), e);
        }
    }

    /**
     * Makes this follower or standby KV guest the primary on {@code file} (mapped read-write; same process, same
     * port) and returns the guest as a primary on that file. Fails when the guest is gone or refuses.
     */
    public ProcessGuest adopt(Path file) {
        if (!canAdopt()) {
            throw new HypervisorException("process guest " + process.pid() + " is not a KV follower or standby: it cannot adopt " + file);
        }
        if (!process.isAlive()) {
            throw new HypervisorException("process guest " + process.pid() + " exited (" + process.exitValue()
                + ") before adopting " + file);
        }
        try {
            OutputStream in = process.getOutputStream();
            in.write(("ADOPT " + file + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            String line = stdout.readLine();
            if (line == null || !line.startsWith("ADOPTED ")) {
                throw new HypervisorException("process guest " + process.pid() + " did not adopt " + file + " (answered: " + line + ")");
            }
            return new ProcessGuest(process, file, stateBytes, port, null);
        } catch (IOException e) {
            throw new HypervisorException("process guest " + process.pid() + " did not adopt " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether the guest's process still runs (false once it exited or was killed). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Whether the guest's process has exited or does so within {@code waitMs} (a signal can fail for a process the
     * kernel already reaped a moment before the JVM notices it exited).
     */
    public boolean exitedWithin(long waitMs) {
        try {
            return process.waitFor(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The exit code of an exited guest ({@code -1} while it runs); 137 = SIGKILL. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    public void pause() {
        signal("STOP");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!allStopped()) {
            if (System.nanoTime() > deadline) {
                throw new HypervisorException("process guest " + process.pid() + " not stopped 5 s after SIGSTOP");
            }
            LockSupport.parkNanos(50_000);
        }
    }

    public void resume() {
        signal("CONT");
    }

    private boolean allStopped() {
        try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String stat = Files.readString(t.resolve("stat"));
                char state = stat.charAt(stat.lastIndexOf(')') + 2);
                if (state != 'T' && state != 't' && state != 'Z' && state != 'X') {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            if (!process.isAlive()) {
                throw new HypervisorException("process guest " + process.pid() + " died (exit " + process.exitValue() + ")");
            }
            return false; // a thread exited while we listed: look again
        }
    }

    private void signal(String sig) {
        Signals.send(sig, process.pid());
    }

    /** SIGKILL and wait. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public Path stateFile() {
        return stateFile;
    }

    public long stateBytes() {
        return stateBytes;
    }

    @Override
    public void close() {
        kill();
    }
}
