package io.shadowvm.cli.controller;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Table rendering shared by {@code status} and {@code vm list|show}. */
public final class VmListCommandSupport {
    private VmListCommandSupport() {
    }

    public static void printVms(PrintWriter out, JsonNode vms) {
        out.printf("%-16s %-13s %-12s %4s %7s  %s%n", "VM", "STATE", "PRIMARY", "GEN", "EPOCH", "SHADOWS (host state acked lag)");
        for (JsonNode v : vms) {
            printVm(out, v);
        }
    }

    public static void printVm(PrintWriter out, JsonNode v) {
        StringBuilder sh = new StringBuilder();
        for (JsonNode s : v.get("shadows")) {
            sh.append(sh.length() == 0 ? "" : ", ").append(s.get("host").asText()).append(' ')
                .append(s.get("state").asText()).append(' ').append(s.get("ackedEpoch").asLong()).append(' ')
                .append(s.get("lagMs").asLong()).append("ms");
        }
        out.printf("%-16s %-13s %-12s %4d %7d  %s%n", v.get("name").asText(), v.get("state").asText(),
            v.get("primaryHost").asText(), v.get("generation").asLong(), v.get("primaryEpoch").asLong(),
            sh.length() == 0 ? "-" : sh);
    }
}
