package io.shadowvm.redirect.nft;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.RelativeWeights;
import io.shadowvm.redirect.testing.NetnsClient;
import io.shadowvm.redirect.testing.NetnsServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real kernel NAT: two namespaces this test creates (a load balancer with the nft table and the clients, and a
 * backend namespace with two private addresses), joined by a veth pair; nothing is configured outside them.
 */
class NftNamespaceTest {
    static final String SUFFIX = Long.toString(ProcessHandle.current().pid() % 100_000);
    static final String LB = "svr-lb-" + SUFFIX;
    static final String BE = "svr-be-" + SUFFIX;
    static final InetSocketAddress SERVICE = new InetSocketAddress("10.231.9.9", 80);
    static final List<Backend> BACKENDS = List.of(
        new Backend("a", new InetSocketAddress("10.231.0.2", 8080)),
        new Backend("b", new InetSocketAddress("10.231.0.3", 8080)));
    static final List<Process> children = new ArrayList<>();
    static boolean created;
    static Process server;
    static Process client;
    static PrintWriter toClient;
    static BufferedReader fromClient;

    @BeforeAll
    static void namespaces() throws Exception {
        Assumptions.assumeTrue(NftRedirector.toolsAvailable(), "nft or ip not installed (scripts/install-deps.sh)");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
            "network namespaces need root (CI runs as root)");
        created = true;
        sh("ip", "netns", "add", LB);
        sh("ip", "netns", "add", BE);
        sh("ip", "link", "add", "svl" + SUFFIX, "netns", LB, "type", "veth", "peer", "name", "svb" + SUFFIX,
            "netns", BE);
        in(LB, "ip", "link", "set", "lo", "up");
        in(LB, "ip", "addr", "add", "10.231.0.1/24", "dev", "svl" + SUFFIX);
        in(LB, "ip", "link", "set", "svl" + SUFFIX, "up");
        in(LB, "ip", "route", "add", "10.231.9.9/32", "dev", "svl" + SUFFIX);
        in(BE, "ip", "link", "set", "lo", "up");
        in(BE, "ip", "addr", "add", "10.231.0.2/24", "dev", "svb" + SUFFIX);
        in(BE, "ip", "addr", "add", "10.231.0.3/24", "dev", "svb" + SUFFIX);
        in(BE, "ip", "link", "set", "svb" + SUFFIX, "up");

        server = java(BE, NetnsServer.class, "a=10.231.0.2:8080", "b=10.231.0.3:8080");
        BufferedReader sr = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        assertThat(sr.readLine()).isEqualTo("ready");
        client = java(LB, NetnsClient.class, "10.231.9.9:80");
        toClient = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8);
        fromClient = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (Process p : children) {
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (created) {
            shQuiet("ip", "netns", "del", LB); // takes the veth pair with it
            shQuiet("ip", "netns", "del", BE);
        }
    }

    static Map<String, Integer> ask(String command) throws IOException {
        toClient.println(command);
        String answer = fromClient.readLine();
        assertThat(answer).as("answer to '%s'", command).startsWith("ok");
        Map<String, Integer> m = new HashMap<>();
        for (String kv : answer.substring(2).trim().split(" ")) {
            if (!kv.isEmpty()) {
                m.put(kv.substring(0, kv.indexOf('=')), Integer.parseInt(kv.substring(kv.indexOf('=') + 1)));
            }
        }
        return m;
    }

    @Test
    void weightedDnatSplitsRealConnectionsAndWeightChangesLeaveOpenOnesAlone() throws Exception {
        NftRedirector nft = new NftRedirector(LB, NftRuleset.TABLE, SERVICE, BACKENDS, NumgenMode.RANDOM);
        nft.setWeights(RelativeWeights.parse("a=100,b=0"));
        assertThat(nft.list()).contains("numgen random mod 10000");
        assertThat(ask("hold 10")).containsExactlyEntriesOf(Map.of("a", 10));
        assertThat(ask("run 300")).containsExactlyEntriesOf(Map.of("a", 300));

        nft.setWeights(RelativeWeights.parse("a=70,b=30"));
        Map<String, Integer> mixed = ask("run 2000");
        // independent random draws: sd of the share is 1.0% at n=2000; allow 5 sd
        assertThat(mixed.get("a") / 2000.0).isBetween(0.65, 0.75);

        nft.setWeights(RelativeWeights.parse("a=0,b=100"));
        assertThat(ask("run 300")).containsExactlyEntriesOf(Map.of("b", 300));
        // connections opened under 100/0 still reach a: their conntrack NAT binding survived two replacements
        assertThat(ask("check")).containsExactlyEntriesOf(Map.of("a", 10));
    }

    @Test
    void incModeSplitsEveryRunOfConnectionsExactly() throws Exception {
        NftRedirector nft = new NftRedirector(LB, "shadowvm_inc_" + SUFFIX, SERVICE, BACKENDS, NumgenMode.INC);
        try {
            nft.setWeights(RelativeWeights.parse("a=70,b=30"));
            // an earlier table may also match (nat chains run in turn; the first DNAT wins): remove it
            new NftRedirector(LB, NftRuleset.TABLE, SERVICE, BACKENDS, NumgenMode.RANDOM).delete();
            Map<String, Integer> counts = ask("run 1000");
            assertThat(counts.get("a")).isBetween(698, 702);
        } finally {
            nft.delete();
        }
    }

    static Process java(String netns, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(p);
        return p;
    }

    static void in(String netns, String... cmd) throws Exception {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        c.addAll(List.of(cmd));
        sh(c.toArray(String[]::new));
    }

    static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
    }

    static void shQuiet(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(20, TimeUnit.SECONDS);
    }
}
