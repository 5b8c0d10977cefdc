package io.shadowvm.redirect.nft;

import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.RedirectException;
import io.shadowvm.redirect.RelativeWeights;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the nftables transaction for a weighted DNAT of one IPv4 TCP service. The map keys are ranges of
 * {@code numgen ... mod N}; range widths are the weights scaled to N with largest-remainder rounding, so they
 * sum to exactly N. Backends with weight 0 get no range.
 *
 * <pre>
 * table ip TABLE                       # declare (no-op if it exists) so that the delete cannot fail
 * delete table ip TABLE
 * table ip TABLE {
 *   chain prerouting { type nat hook prerouting priority dstnat; policy accept;
 *     ip daddr SERVICE_IP tcp dport SERVICE_PORT dnat ip to numgen random mod N map { 0-6999 : A_IP . A_PORT, ... } }
 *   chain output { type nat hook output priority -100; policy accept;     # connections from the namespace itself
 *     (the same rule) }
 * }
 * </pre>
 */
public final class NftRuleset {
    /** The default table name. */
    public static final String TABLE = "shadowvm_redirect";
    /** Resolution of {@link NumgenMode#RANDOM}: weights to 0.01%. */
    public static final int RANDOM_MODULUS = 10_000;
    /** Cycle of {@link NumgenMode#INC}: weights to 1%, interleaved. */
    public static final int INC_MODULUS = 100;

    private NftRuleset() {
    }

    /** Each backend's share of {@code modulus}, summing to exactly {@code modulus}. */
    public static int[] widths(double[] weights, int modulus) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        int[] out = new int[weights.length];
        double[] rem = new double[weights.length];
        int used = 0;
        for (int i = 0; i < weights.length; i++) {
            double exact = weights[i] / sum * modulus;
            out[i] = (int) Math.floor(exact);
            rem[i] = exact - out[i];
            used += out[i];
        }
        while (used < modulus) {
            int best = -1;
            for (int i = 0; i < weights.length; i++) {
                if (weights[i] > 0 && (best < 0 || rem[i] > rem[best])) {
                    best = i;
                }
            }
            out[best]++;
            rem[best] = -1;
            used++;
        }
        return out;
    }

    public static String render(String table, InetSocketAddress service, List<Backend> backends,
                                RelativeWeights weights, NumgenMode mode) {
        checkTable(table);
        ipv4(service, "service");
        List<String> names = backends.stream().map(Backend::name).toList();
        double[] w = weights.resolve(names);
        String rule = "ip daddr " + service.getAddress().getHostAddress() + " tcp dport " + service.getPort()
            + " dnat ip to " + map(backends, w, mode);
        return "table ip " + table + "\n"
            + "delete table ip " + table + "\n"
            + "table ip " + table + " {\n"
            + "  chain prerouting {\n"
            + "    type nat hook prerouting priority dstnat; policy accept;\n"
            + "    " + rule + "\n"
            + "  }\n"
            + "  chain output {\n"
            + "    type nat hook output priority -100; policy accept;\n"
            + "    " + rule + "\n"
            + "  }\n"
            + "}\n";
    }

    /** The transaction that removes the table (declared first so that it succeeds when absent). */
    public static String renderDelete(String table) {
        checkTable(table);
        return "table ip " + table + "\ndelete table ip " + table + "\n";
    }

    static String map(List<Backend> backends, double[] w, NumgenMode mode) {
        List<String> elements = new ArrayList<>();
        int modulus;
        if (mode == NumgenMode.RANDOM) {
            modulus = RANDOM_MODULUS;
            int[] widths = widths(w, modulus);
            int start = 0;
            for (int i = 0; i < widths.length; i++) {
                if (widths[i] > 0) {
                    elements.add(range(start, start + widths[i] - 1) + " : " + target(backends.get(i)));
                    start += widths[i];
                }
            }
        } else {
            modulus = INC_MODULUS;
            int[] counts = widths(w, modulus);
            // smooth weighted round robin over the counter values, merged into runs
            long[] current = new long[counts.length];
            int runStart = 0;
            int runBackend = -1;
            for (int k = 0; k < modulus; k++) {
                int best = -1;
                for (int i = 0; i < counts.length; i++) {
                    current[i] += counts[i];
                    if (counts[i] > 0 && (best < 0 || current[i] > current[best])) {
                        best = i;
                    }
                }
                current[best] -= modulus;
                if (best != runBackend) {
                    if (runBackend >= 0) {
                        elements.add(range(runStart, k - 1) + " : " + target(backends.get(runBackend)));
                    }
                    runStart = k;
                    runBackend = best;
                }
            }
            elements.add(range(runStart, modulus - 1) + " : " + target(backends.get(runBackend)));
        }
        return "numgen " + (mode == NumgenMode.RANDOM ? "random" : "inc") + " mod " + modulus + " map { "
            + String.join(", ", elements) + " }";
    }

    private static String range(int from, int to) {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }

    private static String target(Backend b) {
        ipv4(b.address(), "backend " + b.name());
        return b.address().getAddress().getHostAddress() + " . " + b.address().getPort();
    }

    private static void ipv4(InetSocketAddress a, String what) {
        if (!(a.getAddress() instanceof Inet4Address)) {
            throw new RedirectException("invalid " + what + " address: " + a + " (expected: IPv4)");
        }
        if (a.getPort() <= 0) {
            throw new RedirectException("invalid " + what + " port: " + a.getPort() + " (expected: 1-65535)");
        }
    }

    private static void checkTable(String table) {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]{0,31}")) {
            throw new RedirectException("invalid nft table name: '" + table + "' (expected: [A-Za-z_][A-Za-z0-9_]*)");
        }
    }
}
