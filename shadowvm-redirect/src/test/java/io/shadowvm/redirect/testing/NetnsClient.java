package io.shadowvm.redirect.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A child process for namespace tests, driven by lines on stdin: {@code hold N} opens N connections and keeps
 * them; {@code run N} makes N short connections; {@code check} pings every held connection; each answers one line
 * ({@code ok a=.. b=..} with the backends that greeted, or {@code fail REASON}). Exits on {@code quit} or EOF.
 */
public final class NetnsClient {
    private NetnsClient() {
    }

    public static void main(String[] args) throws Exception {
        String t = args[0];
        InetSocketAddress service = new InetSocketAddress(t.substring(0, t.lastIndexOf(':')),
            Integer.parseInt(t.substring(t.lastIndexOf(':') + 1)));
        List<Client> held = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            String[] cmd = line.trim().split(" ");
            Map<String, Integer> counts = new TreeMap<>();
            try {
                switch (cmd[0]) {
                    case "hold" -> {
                        for (int i = 0; i < Integer.parseInt(cmd[1]); i++) {
                            Client c = new Client(service);
                            held.add(c);
                            counts.merge(c.backend(), 1, Integer::sum);
                        }
                    }
                    case "run" -> {
                        for (int i = 0; i < Integer.parseInt(cmd[1]); i++) {
                            try (Client c = new Client(service)) {
                                if (!c.echo("ping").equals("ping")) {
                                    throw new IllegalStateException("bad echo");
                                }
                                counts.merge(c.backend(), 1, Integer::sum);
                            }
                        }
                    }
                    case "check" -> {
                        for (Client c : held) {
                            if (!c.echo("still").equals("still")) {
                                throw new IllegalStateException("bad echo on a held connection");
                            }
                            counts.merge(c.backend(), 1, Integer::sum);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown command " + cmd[0]);
                }
                StringBuilder sb = new StringBuilder("ok");
                counts.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
                System.out.println(sb);
            } catch (Exception e) {
                System.out.println("fail " + e);
            }
            System.out.flush();
        }
        for (Client c : held) {
            c.close();
        }
    }
}
