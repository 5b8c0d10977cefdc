package io.shadowvm.cli.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Rack;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowvm topology show}: the hosts of a topology file, as a table or JSON. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Validate a topology file and list its hosts.")
public final class ShowCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--topology", required = true, paramLabel = "T.yaml", description = "Topology file.")
    Path topology;

    @Option(names = "--json", description = "Print {\"hosts\":[{\"name\",\"rack\",\"pod\",\"cores\",\"memoryMib\"}]}.")
    boolean json;

    @Override
    public Integer call() {
        Topology t = TopologyLoader.load(topology);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            printJson(out, t);
        } else {
            printTable(out, t);
        }
        out.flush();
        return 0;
    }

    private static void printJson(PrintWriter out, Topology t) {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeArrayFieldStart("hosts");
            for (Host h : t.hosts()) {
                g.writeStartObject();
                g.writeStringField("name", h.name());
                g.writeStringField("rack", t.rackOf(h).name());
                g.writeStringField("pod", t.podOf(h).name());
                g.writeNumberField("cores", h.cores());
                g.writeNumberField("memoryMib", h.memoryMib());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
    }

    private static void printTable(PrintWriter out, Topology t) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HOST", "RACK", "POD", "POWER", "CORES", "MEMORY", "NIC", "UPLINK"});
        for (Host h : t.hosts()) {
            Rack r = t.rackOf(h);
            rows.add(new String[] {h.name(), r.name(), t.podOf(h).name(), r.power() == null ? "-" : r.power(),
                Integer.toString(h.cores()), gib(h.memoryMib()), gbps(h.nicGbps()), gbps(r.uplinkGbps())});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                sb.append(String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", row[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.printf(Locale.ROOT, "%s: %d pods, %d racks, %d hosts, %d cores, %s%n", t.datacenter(), t.pods().size(),
            t.racks().size(), t.hosts().size(), t.totalCores(), gib(t.totalMemoryMib()));
    }

    private static String gib(long mib) {
        return mib % 1024 == 0 ? (mib / 1024) + " GiB" : mib + " MiB";
    }

    private static String gbps(double g) {
        return g == Math.rint(g) ? (long) g + " Gbps" : String.format(Locale.ROOT, "%.3f Gbps", g);
    }
}
