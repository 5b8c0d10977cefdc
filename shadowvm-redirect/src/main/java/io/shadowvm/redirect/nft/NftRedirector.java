package io.shadowvm.redirect.nft;

import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.RedirectException;
import io.shadowvm.redirect.RelativeWeights;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Applies {@link NftRuleset}s inside a network namespace with {@code ip netns exec NS nft -f -}. Each
 * {@link #setWeights} is one atomic transaction. Not thread-safe: one owner (the agent's redirect task).
 */
public final class NftRedirector {
    private static final long TIMEOUT_S = 20;

    private final String netns;
    private final String table;
    private final InetSocketAddress service;
    private final List<Backend> backends;
    private final NumgenMode mode;
    private String lastRuleset;

    /**
     * @param netns     the namespace ({@code ip netns} name); null runs nft in the current namespace
     * @param service   the virtual IPv4 address and port clients connect to
     * @param backends  IPv4 backends
     * @param mode      random or inc
     */
    public NftRedirector(String netns, String table, InetSocketAddress service, List<Backend> backends,
                         NumgenMode mode) {
        if (netns != null && !netns.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new RedirectException("invalid network namespace name: '" + netns + "'");
        }
        this.netns = netns;
        this.table = table;
        this.service = service;
        this.backends = List.copyOf(backends);
        this.mode = mode;
    }

    /** Whether {@code nft} (and {@code ip}, when a namespace is used) can be found on PATH. */
    public static boolean toolsAvailable() {
        return onPath("nft") && onPath("ip");
    }

    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Replaces the table with one for these weights in a single transaction; returns the ruleset applied. */
    public String setWeights(RelativeWeights weights) {
        String ruleset = NftRuleset.render(table, service, backends, weights, mode);
        nft(ruleset);
        lastRuleset = ruleset;
        return ruleset;
    }

    /** The ruleset most recently applied, or null. */
    public String lastRuleset() {
        return lastRuleset;
    }

    /** Removes the table (established connections keep their conntrack entries until they end). */
    public void delete() {
        nft(NftRuleset.renderDelete(table));
    }

    /** The table as the kernel holds it ({@code nft list table}). */
    public String list() {
        return run(List.of("nft", "list", "table", "ip", table), null);
    }

    private void nft(String ruleset) {
        run(List.of("nft", "-f", "-"), ruleset);
    }

    private String run(List<String> nftArgs, String stdin) {
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.addAll(nftArgs);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RedirectException(String.join(" ", cmd) + " did not finish within " + TIMEOUT_S + " s");
            }
            if (p.exitValue() != 0) {
                throw new RedirectException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): "
                    + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new RedirectException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedirectException("interrupted while running " + String.join(" ", cmd), e);
        }
    }
}
