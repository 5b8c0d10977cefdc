package io.shadowvm.hypervisor.qemu;

import io.shadowvm.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The test guest built by {@code testbed/guest/build.sh} (cached by the script, keyed by its inputs).
 *
 * @param kernel the Debian cloud kernel (bzImage)
 * @param initrd the busybox initramfs with the HTTP service and the heartbeat
 */
public record GuestImage(Path kernel, Path initrd) {
    /** Where the build script is looked for: {@code -Dshadowvm.guest.build}, {@code $SHADOWVM_GUEST_BUILD}, then up from the working directory. */
    public static Path locateBuildScript() {
        String explicit = System.getProperty("shadowvm.guest.build", System.getenv("SHADOWVM_GUEST_BUILD"));
        if (explicit != null) {
            return Path.of(explicit);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("testbed/guest/build.sh");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new QemuNotFoundException("testbed/guest/build.sh not found above " + Path.of("").toAbsolutePath()
                + " (set SHADOWVM_GUEST_BUILD to its path)");
    }

    /** Builds (or finds cached) the guest image. Exit code 3 of the script means a missing tool or package. */
    public static GuestImage build() {
        Path script = locateBuildScript();
        try {
            Path log = Files.createTempFile("guest-build", ".log");
            try {
                Process p = new ProcessBuilder("bash", script.toString())
                        .redirectErrorStream(false).redirectError(log.toFile()).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new HypervisorException("guest image build " + script + " took more than 300 s");
                }
                String err = Files.readString(log).strip();
                if (p.exitValue() == 3) {
                    throw new QemuNotFoundException("guest image cannot be built: " + lastLine(err));
                }
                if (p.exitValue() != 0) {
                    throw new HypervisorException("guest image build " + script + " failed (exit " + p.exitValue() + "): " + lastLine(err));
                }
                Path kernel = null;
                Path initrd = null;
                for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("kernel=")) {
                        kernel = Path.of(line.substring(7));
                    } else if (line.startsWith("initrd=")) {
                        initrd = Path.of(line.substring(7));
                    }
                }
                if (kernel == null || initrd == null) {
                    throw new HypervisorException("guest image build " + script + " printed no kernel=/initrd= lines");
                }
                return new GuestImage(kernel, initrd);
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new HypervisorException("guest image build " + script + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while building the guest image", e);
        }
    }

    private static String lastLine(String s) {
        int i = s.lastIndexOf('\n');
        return i < 0 ? s : s.substring(i + 1);
    }
}
