package io.shadowvm.bench.redirect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * ShadowVM's L4/L7 redirectors against HAProxy, side by side in one run. Two backends weighted 70/30 behind each
 * proxy; the direct figure goes straight to one backend. Usage:
 * {@code RedirectBench [--seconds S] [--warmup S] [--rounds N] [--concurrency N] [--threads N] [--bulk-mib N]
 * [--only conn|bulk|http]}.
 */
public final class RedirectBench {
    private RedirectBench() {
    }

    record Row(String workload, String target, LoadGen.Result result) {
    }

    public static void main(String[] args) throws Exception {
        double seconds = 3;
        double warmup = 25;
        int concurrency = 32;
        int threads = 2;
        int bulkMib = 256;
        String only = "";
        int rounds = 3;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--warmup" -> warmup = Double.parseDouble(args[i + 1]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--bulk-mib" -> bulkMib = Integer.parseInt(args[i + 1]);
                case "--only" -> only = args[i + 1];
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                    + " (expected: --seconds --warmup --concurrency --threads --bulk-mib --rounds --only conn|bulk|http)");
            }
        }
        String haproxy = findHaproxy();
        List<Row> rows = new ArrayList<>();
        try (BenchBackends backends = new BenchBackends(1); LoadGen load = new LoadGen(1)) {
            InetSocketAddress echoA = backends.echo();
            InetSocketAddress echoB = backends.echo();
            InetSocketAddress bulkA = backends.source((long) bulkMib << 20);
            InetSocketAddress bulkB = backends.source((long) bulkMib << 20);
            InetSocketAddress httpA = backends.http();
            InetSocketAddress httpB = backends.http();

            Workload[] workloads = {
                new Workload("conn", "L4 connections/s", LoadGen.Kind.SHORT_TCP, echoA, echoB, "tcp", concurrency),
                new Workload("bulk", "L4 bulk MiB/s", LoadGen.Kind.BULK, bulkA, bulkB, "tcp", 2),
                new Workload("http", "L7 requests/s keep-alive", LoadGen.Kind.HTTP, httpA, httpB, "http", concurrency),
            };
            for (Workload w : workloads) {
                if (!only.isEmpty() && !w.key.equals(only)) {
                    continue;
                }
                List<String> modes = w.kind == LoadGen.Kind.HTTP ? List.of("l7")
                    : w.kind == LoadGen.Kind.BULK ? List.of("l4", "l4splice") : List.of("l4");
                List<String> names = new ArrayList<>();
                List<Child> children = new ArrayList<>();
                List<InetSocketAddress> targets = new ArrayList<>();
                names.add("direct");
                targets.add(w.a);
                try {
                    for (String mode : modes) {
                        Child c = shadowvm(mode, threads, w.a, w.b);
                        children.add(c);
                        names.add("shadowvm " + mode);
                        targets.add(c.address);
                    }
                    if (haproxy != null) {
                        Child c = haproxy(haproxy, w.mode, threads, w.a, w.b, w.kind == LoadGen.Kind.BULK);
                        children.add(c);
                        names.add("haproxy " + w.mode + (w.kind == LoadGen.Kind.BULK ? " splice-auto" : ""));
                        targets.add(c.address);
                    }
                    // Warm every JIT (ours, the proxies') first: on a CPU-starved machine C2 needs tens of seconds to
                    // reach steady state. Then measure the targets in turn, several rounds, so that load from
                    // elsewhere on a shared machine hits them all alike; report each one's median round.
                    for (InetSocketAddress t : targets) {
                        load.run(w.kind, t, w.concurrency, 0, warmup);
                    }
                    List<List<LoadGen.Result>> results = new ArrayList<>();
                    for (int i = 0; i < targets.size(); i++) {
                        results.add(new ArrayList<>());
                    }
                    for (int round = 0; round < rounds; round++) {
                        for (int i = 0; i < targets.size(); i++) {
                            results.get(i).add(load.run(w.kind, targets.get(i), w.concurrency, 0.5, seconds));
                        }
                    }
                    for (int i = 0; i < targets.size(); i++) {
                        List<LoadGen.Result> rs = new ArrayList<>(results.get(i));
                        rs.sort(java.util.Comparator.comparingDouble(x -> x.bytes() > 0 ? x.bytes() / x.seconds()
                            : x.opsPerSecond()));
                        rows.add(new Row(w.name, names.get(i), rs.get(rs.size() / 2)));
                    }
                } finally {
                    for (Child c : children) {
                        c.close();
                    }
                }
            }
        }
        print(rows, haproxy != null);
    }

    record Workload(String key, String name, LoadGen.Kind kind, InetSocketAddress a, InetSocketAddress b, String mode,
                    int concurrency) {
    }

    static void print(List<Row> rows, boolean haveHaproxy) {
        System.out.println();
        System.out.println("| workload | target | throughput | p50 µs | p99 µs | errors | vs HAProxy | vs direct |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            boolean bulk = r.workload.contains("bulk");
            double value = bulk ? r.result.mibPerSecond() : r.result.opsPerSecond();
            Row direct = find(rows, r.workload, "direct");
            Row ha = rows.stream().filter(x -> x.workload.equals(r.workload) && x.target.startsWith("haproxy"))
                .findFirst().orElse(null);
            double directValue = bulk ? direct.result.mibPerSecond() : direct.result.opsPerSecond();
            String vsHa = "";
            if (ha != null && !r.target.equals("direct")) {
                double haValue = bulk ? ha.result.mibPerSecond() : ha.result.opsPerSecond();
                vsHa = String.format(Locale.ROOT, "%.2f× (p99 %.2f×)", value / haValue,
                    (double) r.result.p99Us() / Math.max(1, ha.result.p99Us()));
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %.0f %s | %d | %d | %d | %s | %.2f× |%n", r.workload, r.target,
                value, bulk ? "MiB/s" : "/s", r.result.p50Us(), r.result.p99Us(), r.result.errors(), vsHa,
                value / directValue);
        }
        if (!haveHaproxy) {
            System.out.println("(haproxy not found: install it with scripts/install-deps.sh for the side-by-side)");
        }
    }

    static Row find(List<Row> rows, String workload, String target) {
        return rows.stream().filter(x -> x.workload.equals(workload) && x.target.equals(target)).findFirst()
            .orElseThrow();
    }

    static String findHaproxy() {
        for (String p : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    /** A child process we started and stop by closing its stdin (then by its pid). */
    static final class Child implements AutoCloseable {
        final Process process;
        final InetSocketAddress address;
        final Path config;

        Child(Process process, InetSocketAddress address, Path config) {
            this.process = process;
            this.address = address;
            this.config = config;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            process.getOutputStream().close();
            if (config != null) {
                process.destroy(); // haproxy -db stops on SIGTERM
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            if (config != null) {
                Files.deleteIfExists(config);
            }
        }
    }

    static Child shadowvm(String mode, int threads, InetSocketAddress a, InetSocketAddress b) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx1g", "-XX:+UseParallelGC"));
        String extra = System.getProperty("bench.proxyJvmArgs", "");
        if (!extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ProxyProcess.class.getName(), mode,
            Integer.toString(threads), "a=70,b=30", "a=" + hostPort(a), "b=" + hostPort(b)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        while (line != null && !line.startsWith("ready ")) {
            line = r.readLine(); // JVM notices (e.g. a flight recording) come first
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IOException("shadowvm proxy did not start: " + line);
        }
        return new Child(p, new InetSocketAddress("127.0.0.1", Integer.parseInt(line.substring(6).trim())), null);
    }

    static Child haproxy(String binary, String mode, int threads, InetSocketAddress a, InetSocketAddress b,
                         boolean splice) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String cfg = "global\n"
            + "  maxconn 4000\n"
            + "  nbthread " + threads + "\n"
            + "defaults\n"
            + "  mode " + mode + "\n"
            + "  timeout connect 5s\n"
            + "  timeout client 60s\n"
            + "  timeout server 60s\n"
            + (splice ? "  option splice-auto\n" : "")
            + "frontend f\n"
            + "  bind 127.0.0.1:" + port + "\n"
            + (mode.equals("http") ? "  http-response set-header X-ShadowVM-Backend %[srv_name]\n" : "")
            + "  default_backend b\n"
            + "backend b\n"
            + "  balance roundrobin\n"
            + "  server a " + hostPort(a) + " weight 70\n"
            + "  server b " + hostPort(b) + " weight 30\n";
        Path file = Files.createTempFile("shadowvm-bench-haproxy", ".cfg");
        Files.writeString(file, cfg);
        Process p = new ProcessBuilder(binary, "-db", "-f", file.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return new Child(p, new InetSocketAddress("127.0.0.1", port), file);
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        p.destroyForcibly();
        throw new IOException("haproxy did not start listening on " + port);
    }

    static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
