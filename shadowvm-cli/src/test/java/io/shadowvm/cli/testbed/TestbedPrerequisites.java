package io.shadowvm.cli.testbed;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Whether this machine can run the namespace testbed; the reason when not (printed by the skipping test). */
final class TestbedPrerequisites {
    private TestbedPrerequisites() {
    }

    /** null when everything is there; otherwise what is missing. */
    static String missing() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the testbed needs root (network namespaces)";
        }
        for (String tool : List.of("ip", "tc", "iperf3", "busybox", "curl")) {
            if (!onPath(tool)) {
                return tool + " is not installed (scripts/install-deps.sh installs it)";
            }
        }
        return null;
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
