package io.shadowvm.cli.testbed;

import io.shadowvm.core.ShadowVmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds {@code testbed/*.sh} and runs them. */
final class TestbedScripts {
    private final Path dir;

    private TestbedScripts(Path dir) {
        this.dir = dir;
    }

    /**
     * {@code explicit} when given; else {@code $SHADOWVM_HOME/testbed}; else the first {@code testbed/} with an
     * {@code up.sh} above the working directory or above the jar.
     */
    static TestbedScripts locate(Path explicit) {
        List<Path> tried = new ArrayList<>();
        if (explicit != null) {
            return check(explicit, tried);
        }
        String home = System.getenv("SHADOWVM_HOME");
        if (home != null) {
            return check(Path.of(home, "testbed"), tried);
        }
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(TestbedScripts.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (Exception e) {
            // no code source (unusual class loader): the working directory must do
        }
        for (Path s : starts) {
            for (Path d = s; d != null; d = d.getParent()) {
                Path t = d.resolve("testbed");
                tried.add(t);
                if (Files.isExecutable(t.resolve("up.sh"))) {
                    return new TestbedScripts(t);
                }
            }
        }
        throw new ShadowVmException("testbed scripts not found (looked for testbed/up.sh above the working directory "
            + "and the jar; give --scripts DIR or set SHADOWVM_HOME)");
    }

    private static TestbedScripts check(Path d, List<Path> tried) {
        if (!Files.isExecutable(d.resolve("up.sh"))) {
            throw new ShadowVmException("no executable up.sh in " + d + " (expected: the repository's testbed/ directory)");
        }
        return new TestbedScripts(d);
    }

    /** Runs a script with this process's stdin/stdout/stderr; a non-zero exit is a ShadowVmException. */
    void runInherited(String script, List<String> args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(script, args)).inheritIO().start();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new ShadowVmException("testbed/" + script + " failed (exit " + rc + ")");
        }
    }

    /** Runs a script and returns its stdout; on failure the message is the script's own error line. */
    String capture(String script, List<String> args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(script, args)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new ShadowVmException(err.isEmpty() ? "testbed/" + script + " failed (exit " + rc + ")"
                : err.replaceFirst("^testbed: ", "testbed "));
        }
        return out;
    }

    private List<String> command(String script, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(dir.resolve(script).toString());
        cmd.addAll(args);
        return cmd;
    }
}
