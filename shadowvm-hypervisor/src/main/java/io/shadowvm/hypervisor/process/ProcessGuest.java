package io.shadowvm.hypervisor.process;

import io.shadowvm.hypervisor.HypervisorException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
 */
public final class ProcessGuest implements AutoCloseable {
    private final Process process;
    private final Path stateFile;
    private final long stateBytes;
    private final int port;

    private ProcessGuest(Process process, Path stateFile, long stateBytes, int port) {
        this.process = process;
        this.stateFile = stateFile;
        this.stateBytes = stateBytes;
        this.port = port;
    }

    /** Starts any command; {@code stateFile} is the file it maps. */
    public static ProcessGuest start(List<String> command, Path stateFile, long stateBytes) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return new ProcessGuest(p, stateFile, stateBytes, 0);
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
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), KvGuestMain.class.getName(), "--size", Long.toString(stateBytes), "--port", "0"));
        if (followDir != null) {
            cmd.addAll(List.of("--follow", followDir.toString()));
        } else {
            cmd.addAll(List.of("--state", stateFile.toString()));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null || !line.startsWith("READY ")) {
                p.destroyForcibly();
                throw new HypervisorException("process guest " + KvGuestMain.class.getSimpleName() + " did not start (printed: " + line + ")");
            }
            return new ProcessGuest(p, stateFile, stateBytes, Integer.parseInt(line.substring(6).strip()));
        } catch (IOException e) {
            throw new HypervisorException("cannot start the sample process guest: " + e.getMessage(), e);
        }
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
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start();
            if (!k.waitFor(5, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new HypervisorException("kill -" + sig + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot signal process guest " + process.pid() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while signalling " + process.pid(), e);
        }
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
