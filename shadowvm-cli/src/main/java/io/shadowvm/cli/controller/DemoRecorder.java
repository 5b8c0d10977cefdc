package io.shadowvm.cli.controller;

import io.shadowvm.api.rest.ApiJson;
import io.shadowvm.api.rest.Views.BackendWeightView;
import io.shadowvm.api.rest.Views.EventView;
import io.shadowvm.api.rest.Views.PredictionView;
import io.shadowvm.api.rest.Views.WeightsView;
import io.shadowvm.controller.Controller;
import io.shadowvm.controller.loop.ClusterSnapshot;
import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.ShadowReplica;
import io.shadowvm.controller.model.VmPlacement;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What both demos (loopback and namespace testbed) record and print: the controller's events as a live
 * timeline, one row per second of the congestion phase, client request counts, acknowledged epochs, and at the
 * end the summary (exact {@code --json} shape) and the HTML report with the congestion chart.
 */
final class DemoRecorder {
    private final PrintWriter out;
    private final boolean json;
    private final long t0 = System.currentTimeMillis();
    private final List<EventView> timeline = new ArrayList<>();
    private final List<double[]> uplinkSeries = new ArrayList<>();
    private final Map<String, Long> maxAcked = new HashMap<>();
    private String uplinkName = "";
    final AtomicLong ok = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    private volatile boolean printing = true;

    DemoRecorder(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    long t0() {
        return t0;
    }

    /** Prints every controller event as a timeline line until {@link #stopPrinting()}. */
    void follow(Controller c) {
        c.events().listen(e -> {
            synchronized (timeline) {
                timeline.add(e);
            }
            if (!json && printing) {
                line(String.format("[%6.1fs] %-10s %-4s %-7s %s", (e.atMs() - t0) / 1000.0, e.kind(),
                    e.vm() == null ? "" : e.vm(), e.host() == null ? "" : e.host(), e.message()));
            }
        });
    }

    /** Shutdown disconnects are not part of the story. */
    void stopPrinting() {
        printing = false;
    }

    void say(String line) {
        if (!json && !line.isEmpty()) {
            line("== " + line);
        }
    }

    private synchronized void line(String s) {
        out.println(s);
        out.flush();
    }

    /** Remembers the newest acknowledged epoch of every shadow seen (shadows replaced later still count). */
    void noteEpochs(ClusterSnapshot s) {
        synchronized (maxAcked) {
            for (VmPlacement p : s.placements().values()) {
                for (ShadowReplica r : p.shadows()) {
                    maxAcked.merge(p.vm() + "@" + r.host(), r.ackedEpoch(), Math::max);
                }
            }
        }
    }

    /** The share of {@code vm}'s new connections the weights send to shadows (0 when none or unknown). */
    static double shadowShare(ClusterSnapshot s, String vm) {
        VmPlacement p = s.placements().get(vm);
        WeightsView wv = s.weights().get(vm);
        if (p == null || wv == null) {
            return 0;
        }
        double total = 0;
        double primary = 0;
        for (BackendWeightView b : wv.backends()) {
            total += b.weight();
            if (b.host().equals(p.primaryHost())) {
                primary = b.weight();
            }
        }
        return total > 0 ? 1 - primary / total : 0;
    }

    static double score(ClusterSnapshot s, String link) {
        for (PredictionView pv : s.predictions()) {
            if (pv.path().equals(link)) {
                return pv.score();
            }
        }
        return Double.NaN;
    }

    /** One second of the congestion phase: printed and kept for the report's chart. */
    void uplinkRow(String link, double offered, double utilization, double mbps, double score, double share) {
        uplinkName = link;
        double at = (System.currentTimeMillis() - t0) / 1000.0;
        uplinkSeries.add(new double[] {at, offered, utilization, Double.isNaN(score) ? 0 : score, share});
        if (!json) {
            line(String.format("[%6.1fs] uplink     %-4s %-7s offered %3.0f%%  measured %3.0f%% (%.2f Mbit/s)  score %.2f  web:"
                + " %3.0f%% of new connections to the shadow", at, "", link, offered * 100, utilization * 100, mbps,
                Double.isNaN(score) ? 0 : score, share * 100));
        }
    }

    long redirections() {
        synchronized (timeline) {
            return timeline.stream().filter(e -> e.kind().equals("weights")).count();
        }
    }

    private static int shadows(ClusterSnapshot s) {
        int n = 0;
        for (VmPlacement p : s.placements().values()) {
            n += p.countedShadows();
        }
        return n;
    }

    /** Epochs acknowledged over the run: the newest of every shadow ever seen, summed. */
    private long epochsAcked(ClusterSnapshot s) {
        noteEpochs(s);
        synchronized (maxAcked) {
            return maxAcked.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The summary in the exact {@code --json} shape. */
    String summaryJson(ClusterSnapshot s) {
        StringBuilder fj = new StringBuilder("[");
        for (FailoverRecord f : s.failovers()) {
            fj.append(fj.length() > 1 ? "," : "").append("{\"vm\":").append(ApiJson.write(f.vm())).append(",\"rtoMs\":")
                .append(f.rtoMs()).append(",\"rpoEpochs\":").append(f.rpoEpochs()).append('}');
        }
        fj.append(']');
        return "{\"vms\":" + s.desired().size() + ",\"shadows\":" + shadows(s) + ",\"epochsAcked\":" + epochsAcked(s)
            + ",\"redirections\":" + redirections() + ",\"failovers\":" + fj + ",\"requests\":{\"ok\":" + ok.get()
            + ",\"failed\":" + failed.get() + "}}";
    }

    /** Prints the summary (JSON or text), writes the report, and names it. */
    void finish(ClusterSnapshot s, Path html, Map<String, Long> killedAt) throws IOException {
        String summary = summaryJson(s);
        writeReport(html, s.failovers(), summary, killedAt);
        if (json) {
            out.println(summary);
        } else {
            out.println();
            out.println("summary: " + s.desired().size() + " VMs, " + shadows(s) + " shadows, " + epochsAcked(s)
                + " epochs acknowledged, " + redirections()
                + " predictive redirections, requests ok " + ok.get() + " / failed " + failed.get());
            for (FailoverRecord f : s.failovers()) {
                Long k = killedAt.get(f.deadHost());
                out.printf("failover %s: %s -> %s, RTO %d ms (from its last heartbeat%s), RPO %d epochs%n", f.vm(),
                    f.deadHost(), f.promotedHost(), f.rtoMs(), k == null ? ""
                        : "; host killed " + (f.completedAtMs() - k) + " ms before the promotion completed", f.rpoEpochs());
            }
            out.println("report: " + html.toAbsolutePath());
        }
        out.flush();
    }

    private void writeReport(Path html, List<FailoverRecord> fos, String summary, Map<String, Long> killedAt)
        throws IOException {
        if (html.getParent() != null) {
            Files.createDirectories(html.getParent());
        }
        StringBuilder b = new StringBuilder("<!doctype html><meta charset=utf-8><title>ShadowVM demo</title>")
            .append("<style>body{font-family:sans-serif}td,th{padding:2px 8px;text-align:left}</style>")
            .append("<h1>ShadowVM demo</h1><p>Summary: <code>").append(esc(summary)).append("</code></p>")
            .append(uplinkChart())
            .append("<h2>Failovers</h2><table><tr><th>VM</th><th>dead host</th><th>promoted</th><th>RTO ms</th>"
                + "<th>ms since kill</th><th>RPO epochs</th></tr>");
        for (FailoverRecord f : fos) {
            Long k = killedAt.get(f.deadHost());
            b.append("<tr><td>").append(esc(f.vm())).append("<td>").append(esc(f.deadHost())).append("<td>")
                .append(esc(f.promotedHost())).append("<td>").append(f.rtoMs()).append("<td>")
                .append(k == null ? "" : String.valueOf(f.completedAtMs() - k)).append("<td>").append(f.rpoEpochs())
                .append("</tr>");
        }
        b.append("</table><h2>Timeline</h2><table><tr><th>t (s)</th><th>kind</th><th>VM</th><th>host</th><th>event</th></tr>");
        synchronized (timeline) {
            for (EventView e : timeline) {
                b.append("<tr><td>").append(String.format("%.1f", (e.atMs() - t0) / 1000.0)).append("<td>")
                    .append(esc(e.kind())).append("<td>").append(esc(e.vm())).append("<td>").append(esc(e.host()))
                    .append("<td>").append(esc(e.message())).append("</tr>");
            }
        }
        b.append("</table>");
        Files.writeString(html, b);
    }

    /** An SVG line chart of the congestion phase (offered, measured utilization, score, shadow share) and its table. */
    private String uplinkChart() {
        if (uplinkSeries.isEmpty()) {
            return "<p>No congestion phase in this run.</p>";
        }
        double tMin = uplinkSeries.get(0)[0];
        double tMax = Math.max(tMin + 1, uplinkSeries.get(uplinkSeries.size() - 1)[0]);
        int w = 800;
        int h = 240;
        StringBuilder b = new StringBuilder("<h2>Congestion phase: ").append(esc(uplinkName)).append("</h2>")
            .append("<svg width=").append(w).append(" height=").append(h + 20).append(" style='border:1px solid #ccc'>");
        String[] colors = {"#999", "#1f77b4", "#d62728", "#2ca02c"};
        String[] names = {"offered", "measured utilization", "congestion score", "web: share to shadow"};
        for (int k = 1; k <= 4; k++) {
            b.append("<polyline fill=none stroke='").append(colors[k - 1]).append("' stroke-width=2 points='");
            for (double[] r : uplinkSeries) {
                b.append(String.format("%.1f,%.1f ", (r[0] - tMin) / (tMax - tMin) * (w - 20) + 10,
                    h - Math.min(1.25, r[k]) / 1.25 * (h - 10)));
            }
            b.append("'/><text x=").append(10 + (k - 1) * 190).append(" y=").append(h + 15).append(" fill='")
                .append(colors[k - 1]).append("'>").append(names[k - 1]).append("</text>");
        }
        b.append("</svg><table><tr><th>t (s)</th><th>offered</th><th>measured</th><th>score</th><th>to shadow</th></tr>");
        for (double[] r : uplinkSeries) {
            b.append(String.format("<tr><td>%.1f<td>%.0f%%<td>%.0f%%<td>%.2f<td>%.0f%%</tr>", r[0], r[1] * 100, r[2] * 100,
                r[3], r[4] * 100));
        }
        return b.append("</table>").toString();
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
