package io.shadowvm.hypervisor.drill;

import io.shadowvm.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A network namespace this process creates (with loopback up) and deletes on {@link #close()}. Root only. */
public final class NetNs implements AutoCloseable {
    private final String name;

    private NetNs(String name) {
        this.name = name;
    }

    /** True when namespaces can be created here: root and the {@code ip} tool. */
    public static boolean available() {
        return "root".equals(System.getProperty("user.name")) && (Files.isExecutable(Path.of("/usr/sbin/ip"))
                || Files.isExecutable(Path.of("/sbin/ip")) || Files.isExecutable(Path.of("/usr/bin/ip")) || Files.isExecutable(Path.of("/bin/ip")));
    }

    public static NetNs create(String name) {
        run(List.of("ip", "netns", "add", name));
        NetNs ns = new NetNs(name);
        try {
            run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    private static void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new HypervisorException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new HypervisorException(String.join(" ", cmd) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    @Override
    public void close() {
        run(List.of("ip", "netns", "delete", name));
    }
}
