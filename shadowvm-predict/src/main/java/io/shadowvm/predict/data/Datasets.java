package io.shadowvm.predict.data;

import io.shadowvm.predict.PredictException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shipped traces by name (see data/README.md), and user CSV files by path.
 *
 * <table>
 * <caption>datasets</caption>
 * <tr><th>name</th><th>series</th></tr>
 * <tr><td>isp-uk-5m</td><td>UK academic backbone aggregate link, 5 min (Cortez et al. 2012)</td></tr>
 * <tr><td>geant-flows</td><td>GEANT TOTEM OD flows, 15 min, 23x23 (Uhlig et al. 2006)</td></tr>
 * <tr><td>geant-links</td><td>GEANT 22-node per-link utilization from matrices + shortest paths (FIGRET)</td></tr>
 * <tr><td>dc-pods</td><td>Meta pod-level matrices, 4 pods, 12 directed links (FIGRET)</td></tr>
 * <tr><td>bitbrains</td><td>Bitbrains fastStorage VM network rx/tx, 5 min (Shen et al. 2015)</td></tr>
 * </table>
 */
public final class Datasets {
    public static final List<String> NAMES = List.of("isp-uk-5m", "geant-flows", "geant-links", "dc-pods", "bitbrains");

    /** Environment variable naming the data directory. */
    public static final String DATA_DIR_ENV = "SHADOWVM_DATA_DIR";

    private Datasets() {
    }

    /**
     * Loads a named dataset from {@code dataDir}, or a user CSV when {@code nameOrFile} is not a name; a
     * comma-separated list gives their union (see {@link #union}).
     */
    public static Dataset load(String nameOrFile, Path dataDir) {
        if (nameOrFile.contains(",")) {
            List<Dataset> parts = new ArrayList<>();
            for (String part : nameOrFile.split(",")) {
                if (!part.isBlank()) {
                    parts.add(load(part.trim(), dataDir));
                }
            }
            return union(parts);
        }
        String key = nameOrFile.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(key)) {
            Path file = Paths.get(nameOrFile);
            if (!Files.isRegularFile(file)) {
                throw new PredictException("--data " + nameOrFile + ": neither a file nor a dataset (expected a CSV path or one of "
                    + String.join(", ", NAMES) + ")");
            }
            return new Dataset(file.getFileName().toString(), "user CSV " + file, CsvSeriesLoader.load(file));
        }
        Path dir = dataDir == null ? defaultDataDir() : dataDir;
        return switch (key) {
            case "isp-uk-5m" -> new Dataset(key, "UK academic backbone aggregate link, 5-min (Cortez et al. 2012)",
                List.of(CsvSeriesLoader.load(need(dir, "isp-uk-5m/uk-5m.csv.gz")).get(0).withName("uk-backbone")));
            case "geant-flows" -> geantFlows(dir);
            case "geant-links" -> geantLinks(dir);
            case "dc-pods" -> dcPods(dir);
            case "bitbrains" -> bitbrains(dir);
            default -> throw new IllegalStateException(key);
        };
    }

    /**
     * Several datasets as one: every series keeps its own clock and is renamed {@code dataset/series}. The
     * evaluator still normalizes, splits and thresholds each series on its own; only a global model sees them all.
     */
    public static Dataset union(List<Dataset> parts) {
        if (parts.isEmpty()) {
            throw new PredictException("union of no datasets (expected: at least one)");
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<Series> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Dataset d : parts) {
            names.add(d.name());
            for (Series s : d.series()) {
                all.add(s.withName(d.name() + "/" + s.name()));
            }
        }
        return new Dataset(String.join(",", names), "union of " + String.join(", ", names), all);
    }

    /** The dataset with every series' clock removed ({@link Series#withoutClock}): for step-free models. */
    public static Dataset withoutClock(Dataset ds) {
        List<Series> out = new ArrayList<>();
        for (Series s : ds.series()) {
            out.add(s.withoutClock());
        }
        return new Dataset(ds.name(), ds.description() + " (step-free: clock removed)", out);
    }

    private static Dataset geantFlows(Path dir) {
        List<Series> raw = CsvSeriesLoader.load(need(dir, "geant-totem/geant-totem.csv.gz"));
        List<Series> out = new ArrayList<>();
        int nodes = 23;
        for (int c = 0; c < raw.size(); c++) {
            int s = c / nodes;
            int d = c % nodes;
            if (s != d) {
                out.add(raw.get(c).withName("od_" + s + "_" + d));
            }
        }
        return new Dataset("geant-flows", "GEANT TOTEM OD flows, 15-min, 23 PoPs (Uhlig et al. 2006)", out);
    }

    private static Dataset geantLinks(Path dir) {
        MatrixTraces.Topology topo = MatrixTraces.readTopology(need(dir, "geant-figret22/GEANT.json"));
        double[][] tms = MatrixTraces.readMatrices(need(dir, "geant-figret22/7.hist.gz"), topo.nodes());
        return new Dataset("geant-links", "GEANT 22-node per-link utilization: matrices routed on hop-count shortest paths / capacity",
            MatrixTraces.linkUtilization(topo, tms, 900));
    }

    private static Dataset dcPods(Path dir) {
        MatrixTraces.Topology topo = MatrixTraces.readTopology(need(dir, "dc-pod-a/Facebook_pod_a.json"));
        double[][] tms = MatrixTraces.readMatrices(need(dir, "dc-pod-a/pod-a.hist.gz"), topo.nodes());
        return new Dataset("dc-pods", "Meta data-center pod set a: 4 pods, 12 direct links, utilization = demand / capacity",
            MatrixTraces.linkUtilization(topo, tms, 0));
    }

    private static Dataset bitbrains(Path dir) {
        List<Series> out = new ArrayList<>();
        for (String vm : List.of("vm_1", "vm_2")) {
            for (Series s : CsvSeriesLoader.load(need(dir, "bitbrains/" + vm + ".csv.gz"), h -> h.startsWith("Network"))) {
                String dirName = s.name().contains("received") ? "rx" : "tx";
                out.add(s.withName(vm + "_" + dirName));
            }
        }
        return new Dataset("bitbrains", "Bitbrains fastStorage VM network rx/tx KB/s, 5-min (Shen et al. 2015)", out);
    }

    private static Path need(Path dir, String relative) {
        Path p = dir.resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new PredictException("missing data file " + p + " (set --data-dir or " + DATA_DIR_ENV
                + " to the repository's data/ directory)");
        }
        return p;
    }

    /** {@code $SHADOWVM_DATA_DIR}, else {@code ./data}, else {@code data/} next to the CLI jar's repository. */
    public static Path defaultDataDir() {
        String env = System.getenv(DATA_DIR_ENV);
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        Path cwd = Paths.get("data");
        if (Files.isDirectory(cwd.resolve("isp-uk-5m"))) {
            return cwd;
        }
        try {
            Path jar = Paths.get(Datasets.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar.getParent(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("data/isp-uk-5m"))) {
                    return p.resolve("data");
                }
            }
        } catch (Exception e) {
            // fall through to ./data: the missing-file error names it
        }
        return cwd;
    }
}
