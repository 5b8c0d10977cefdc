package io.shadowvm.cli.place;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyLoader;
import io.shadowvm.core.vm.VmSpec;
import io.shadowvm.core.vm.VmSpecLoader;
import io.shadowvm.placement.ClusterState;
import io.shadowvm.placement.OnlinePlacer;
import io.shadowvm.placement.Placement;
import io.shadowvm.placement.PlacementInfeasibleException;
import io.shadowvm.placement.rebalance.solver.Rebalancer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shadowvm place}: places every VM of a spec file, in file order, onto a topology (and optionally
 * rebalances the result). Unplaceable VMs are listed with the reason and do not fail the command; invalid
 * input does (exit 1, the loader's {@code file:line:col} message).
 */
@Command(name = "place", mixinStandardHelpOptions = true,
    description = "Place VMs and their shadows onto a topology (filter, then weigh); optionally rebalance.")
public final class PlaceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--topology", required = true, paramLabel = "T.yaml", description = "Topology file.")
    Path topology;

    @Option(names = "--vms", required = true, paramLabel = "V.yaml", description = "VM spec file.")
    Path vms;

    @Option(names = "--rebalance-seconds", paramLabel = "S", defaultValue = "0",
        description = "After placing, rebalance with Timefold for S seconds and apply the best plan (0..3600, "
            + "default ${DEFAULT-VALUE}: no rebalancing).")
    double rebalanceSeconds;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
        description = "Seed that breaks ties (default ${DEFAULT-VALUE}); same input and seed, same placement.")
    long seed;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        if (!(rebalanceSeconds >= 0 && rebalanceSeconds <= 3600)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--rebalance-seconds: " + rebalanceSeconds + " (expected: 0..3600)");
        }
        Topology t = TopologyLoader.load(topology);
        List<VmSpec> specs = VmSpecLoader.load(vms);
        long start = System.nanoTime();
        ClusterState state = new ClusterState(t);
        OnlinePlacer placer = new OnlinePlacer(state, seed);
        List<String[]> unplaced = new ArrayList<>();
        for (VmSpec vm : specs) {
            try {
                placer.place(vm);
            } catch (PlacementInfeasibleException e) {
                unplaced.add(new String[] {vm.name(), e.getMessage()});
            }
        }
        Rebalancer.Result rebalance = null;
        if (rebalanceSeconds > 0 && state.placedCount() > 0) {
            // Timefold logs every solve at INFO; a user asked for a table (effective with slf4j-simple only)
            System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.ai.timefold", "warn");
            rebalance = Rebalancer.withTimeLimit(Duration.ofMillis((long) (rebalanceSeconds * 1000)), seed).solve(state);
            Rebalancer.apply(state, rebalance);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            printJson(out, state, unplaced, specs.size(), millis);
        } else {
            printTable(out, state, unplaced, specs.size(), millis, rebalance);
        }
        out.flush();
        return 0;
    }

    private static void printJson(PrintWriter out, ClusterState state, List<String[]> unplaced, int vms, long millis) {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            List<Placement> placements = state.placements();
            g.writeStartObject();
            g.writeArrayFieldStart("placements");
            for (Placement p : placements) {
                g.writeStartObject();
                g.writeStringField("vm", p.name());
                g.writeStringField("primary", p.primary());
                g.writeArrayFieldStart("shadows");
                for (String s : p.shadows()) {
                    g.writeString(s);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("unplaced");
            for (String[] u : unplaced) {
                g.writeStartObject();
                g.writeStringField("vm", u[0]);
                g.writeStringField("reason", u[1]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("stats");
            g.writeNumberField("vms", vms);
            g.writeNumberField("placed", placements.size());
            g.writeNumberField("millis", millis);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
    }

    private static void printTable(PrintWriter out, ClusterState state, List<String[]> unplaced, int vms, long millis,
                                   Rebalancer.Result rebalance) {
        Topology t = state.topology();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"VM", "PRIMARY", "SHADOWS", "SYNC HEADROOM"});
        List<String> notes = new ArrayList<>();
        for (Placement p : state.placements()) {
            StringBuilder sh = new StringBuilder();
            double headroom = Double.POSITIVE_INFINITY;
            for (int i = 0; i < p.shadows().size(); i++) {
                int h = p.shadowIndex(i);
                if (i > 0) {
                    sh.append(", ");
                }
                sh.append(at(t, h));
                headroom = Math.min(headroom, state.pathHeadroomMbps(p.primaryIndex(), h, 0));
            }
            if (p.isPartial()) {
                sh.append(p.shadows().isEmpty() ? "" : " ").append("(")
                    .append(p.shadows().size()).append(" of ").append(p.vm().policy().shadows()).append(")");
                notes.add("partial: " + p.partialReason());
            }
            rows.add(new String[] {p.name(), at(t, p.primaryIndex()), sh.length() == 0 ? "-" : sh.toString(),
                p.shadows().isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f Gbps", headroom / 1000)});
        }
        printRows(out, rows);
        for (String n : notes) {
            out.println(n);
        }
        for (String[] u : unplaced) {
            out.println("unplaced: " + u[1]);
        }
        if (rebalance != null) {
            out.printf(Locale.ROOT, "rebalanced in %d ms: score %s -> %s (soft gained %d), %d moves%n", rebalance.millis(),
                rebalance.startScore(), rebalance.bestScore(), rebalance.softGained(), rebalance.moves().size());
            for (Rebalancer.Move m : rebalance.moves()) {
                out.println("  moved: " + m);
            }
        }
        out.printf(Locale.ROOT, "%d of %d VMs placed in %d ms (SYNC HEADROOM: smallest bandwidth left on a shadow's "
            + "path from its primary: shadow NIC and both rack uplinks)%n", state.placedCount(), vms, millis);
    }

    private static String at(Topology t, int host) {
        return t.host(host).name() + "/" + t.racks().get(t.host(host).rack()).name();
    }

    static void printRows(PrintWriter out, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", r[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
