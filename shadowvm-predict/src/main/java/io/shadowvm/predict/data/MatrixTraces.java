package io.shadowvm.predict.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Traffic-matrix traces (one N×N matrix per line, space-separated, row-major: {@code demand[src][dst]}) and
 * a directed topology in networkx node-link JSON with a {@code capacity} per link. Per-link utilization is
 * derived by routing every demand on its hop-count shortest path (ties broken towards the smallest next
 * node id, so the routing is deterministic) and dividing each link's load by its capacity.
 */
public final class MatrixTraces {
    private MatrixTraces() {
    }

    /** A directed topology: {@code src[l] -> dst[l]} with {@code capacity[l]}. */
    public record Topology(int nodes, int[] src, int[] dst, double[] capacity) {
        public int links() {
            return src.length;
        }

        public String linkName(int l) {
            return "u_" + src[l] + "_" + dst[l];
        }

        /** Link index of {@code a -> b}, or -1. */
        public int link(int a, int b) {
            for (int l = 0; l < src.length; l++) {
                if (src[l] == a && dst[l] == b) {
                    return l;
                }
            }
            return -1;
        }
    }

    public static Topology readTopology(Path json) {
        try {
            JsonNode root = new ObjectMapper().readTree(TextFiles.readAll(json));
            JsonNode nodes = root.path("nodes");
            JsonNode links = root.path("links");
            if (!nodes.isArray() || !links.isArray() || links.isEmpty()) {
                throw new DataFormatException(json + ": expected networkx node-link JSON with 'nodes' and 'links' arrays");
            }
            int n = nodes.size();
            int m = links.size();
            int[] src = new int[m];
            int[] dst = new int[m];
            double[] cap = new double[m];
            for (int l = 0; l < m; l++) {
                JsonNode link = links.get(l);
                src[l] = link.path("source").asInt(-1);
                dst[l] = link.path("target").asInt(-1);
                cap[l] = link.path("capacity").asDouble(-1);
                if (src[l] < 0 || src[l] >= n || dst[l] < 0 || dst[l] >= n) {
                    throw new DataFormatException(json + ": links[" + l + "]: source/target " + src[l] + "->" + dst[l]
                        + " (expected: node ids 0-" + (n - 1) + ")");
                }
                if (!(cap[l] > 0)) {
                    throw new DataFormatException(json + ": links[" + l + "]: capacity " + link.path("capacity")
                        + " (expected: > 0)");
                }
            }
            return new Topology(n, src, dst, cap);
        } catch (IOException e) {
            throw new DataFormatException(json + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Reads matrices of {@code nodes × nodes} values per line; returns {@code [time][src*nodes+dst]}. */
    public static double[][] readMatrices(Path file, int nodes) {
        String fileName = file.toString();
        int width = nodes * nodes;
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = TextFiles.open(file)) {
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.trim().split("\\s+");
                if (cells.length != width) {
                    throw DataFormatException.at(fileName, lineNo, Math.min(cells.length, width) + 1,
                        cells.length + " values (expected: " + width + " = " + nodes + "x" + nodes + ")");
                }
                double[] row = new double[width];
                for (int i = 0; i < width; i++) {
                    try {
                        row[i] = Double.parseDouble(cells[i]);
                    } catch (NumberFormatException e) {
                        throw DataFormatException.at(fileName, lineNo, i + 1, "bad number '" + cells[i] + "'");
                    }
                    if (!(row[i] >= 0) || Double.isInfinite(row[i])) {
                        throw DataFormatException.at(fileName, lineNo, i + 1, "demand " + cells[i] + " (expected: finite, >= 0)");
                    }
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new DataFormatException("cannot read " + fileName + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new DataFormatException(fileName + ": no matrices");
        }
        return rows.toArray(new double[0][]);
    }

    /** For every (src,dst) pair, the link indices of its hop-count shortest path (empty when unreachable). */
    public static int[][] shortestPaths(Topology topo) {
        int n = topo.nodes();
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        for (int l = 0; l < topo.links(); l++) {
            out.get(topo.src()[l]).add(l);
        }
        for (List<Integer> ls : out) {
            ls.sort((a, b) -> Integer.compare(topo.dst()[a], topo.dst()[b]));
        }
        int[][] paths = new int[n * n][];
        for (int s = 0; s < n; s++) {
            int[] viaLink = new int[n];
            Arrays.fill(viaLink, -1);
            boolean[] seen = new boolean[n];
            seen[s] = true;
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            queue.add(s);
            while (!queue.isEmpty()) {
                int u = queue.poll();
                for (int l : out.get(u)) {
                    int v = topo.dst()[l];
                    if (!seen[v]) {
                        seen[v] = true;
                        viaLink[v] = l;
                        queue.add(v);
                    }
                }
            }
            for (int d = 0; d < n; d++) {
                List<Integer> path = new ArrayList<>();
                for (int v = d; v != s && viaLink[v] >= 0; v = topo.src()[viaLink[v]]) {
                    path.add(0, viaLink[v]);
                }
                paths[s * n + d] = path.stream().mapToInt(Integer::intValue).toArray();
            }
        }
        return paths;
    }

    /** Per-link utilization series: load on the shortest paths divided by capacity. */
    public static List<Series> linkUtilization(Topology topo, double[][] matrices, long stepSec) {
        int[][] paths = shortestPaths(topo);
        int n = topo.nodes();
        int links = topo.links();
        double[][] util = new double[links][matrices.length];
        for (int t = 0; t < matrices.length; t++) {
            double[] tm = matrices[t];
            for (int od = 0; od < n * n; od++) {
                if (tm[od] == 0) {
                    continue;
                }
                for (int l : paths[od]) {
                    util[l][t] += tm[od];
                }
            }
            for (int l = 0; l < links; l++) {
                util[l][t] /= topo.capacity()[l];
            }
        }
        List<Series> out = new ArrayList<>();
        for (int l = 0; l < links; l++) {
            out.add(new Series(topo.linkName(l), util[l], -1, stepSec, 0));
        }
        return out;
    }

    /** Per-flow (OD pair) series {@code od_src_dst}, skipping the diagonal. */
    public static List<Series> flows(double[][] matrices, int nodes, long stepSec) {
        List<Series> out = new ArrayList<>();
        for (int s = 0; s < nodes; s++) {
            for (int d = 0; d < nodes; d++) {
                if (s == d) {
                    continue;
                }
                double[] v = new double[matrices.length];
                for (int t = 0; t < matrices.length; t++) {
                    v[t] = matrices[t][s * nodes + d];
                }
                out.add(new Series("od_" + s + "_" + d, v, -1, stepSec, 0));
            }
        }
        return out;
    }
}
