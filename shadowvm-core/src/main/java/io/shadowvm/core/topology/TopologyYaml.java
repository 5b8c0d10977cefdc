package io.shadowvm.core.topology;

import java.util.Locale;

/** Writes a {@link Topology} in the schema {@link TopologyLoader} reads (round-trips exactly). */
public final class TopologyYaml {
    private TopologyYaml() {
    }

    public static String write(Topology t) {
        StringBuilder sb = new StringBuilder(64 + t.hosts().size() * 80);
        sb.append("datacenter: ").append(t.datacenter()).append('\n');
        sb.append("pods:\n");
        for (Pod p : t.pods()) {
            sb.append("  - name: ").append(p.name()).append('\n');
            sb.append("    racks:\n");
            for (int ri : p.racks()) {
                Rack r = t.racks().get(ri);
                sb.append("      - name: ").append(r.name()).append('\n');
                sb.append("        uplinkGbps: ").append(num(r.uplinkGbps())).append('\n');
                if (r.uplinkLatencyUs() > 0) {
                    sb.append("        uplinkLatencyUs: ").append(num(r.uplinkLatencyUs())).append('\n');
                }
                if (r.power() != null) {
                    sb.append("        power: ").append(r.power()).append('\n');
                }
                sb.append("        hosts:\n");
                for (int hi : r.hosts()) {
                    Host h = t.hosts().get(hi);
                    sb.append("          - {name: ").append(h.name())
                        .append(", cores: ").append(h.cores())
                        .append(", memoryMib: ").append(h.memoryMib())
                        .append(", nicGbps: ").append(num(h.nicGbps()));
                    if (h.linkLatencyUs() > 0) {
                        sb.append(", linkLatencyUs: ").append(num(h.linkLatencyUs()));
                    }
                    sb.append("}\n");
                }
            }
        }
        return sb.toString();
    }

    static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%s", d);
    }
}
