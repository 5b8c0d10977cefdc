package io.shadowvm.cli.controller;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowvm status}: the controller's view of the cluster. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the cluster as the controller sees it: leader, hosts, VMs and their shadows, failovers.")
public final class StatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ControllerEndpoint controller;

    @Option(names = "--json", description = "Print /api/v1/status as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RestClient c = controller.client();
        if (json) {
            out.println(c.get("/status"));
            out.flush();
            return 0;
        }
        JsonNode s = c.tree("/status");
        out.printf("controller %s (%s; leader: %s), tick %d%n", s.get("controllerId").asText(),
            s.get("leader").asBoolean() ? "leader" : "follower", s.get("leaderId").asText(), s.get("tick").asLong());
        out.printf("hosts %d (%d alive), VMs %d (%d running), shadows %d (%d in sync), failovers %d%n",
            s.get("hosts").asInt(), s.get("hostsAlive").asInt(), s.get("vms").asInt(), s.get("vmsRunning").asInt(),
            s.get("shadows").asInt(), s.get("shadowsInSync").asInt(), s.get("failovers").size());
        for (JsonNode comp : s.get("components")) {
            out.println("  " + comp.asText());
        }
        out.println();
        out.printf("%-12s %-8s %-12s %6s %6s %5s %5s%n", "HOST", "RACK", "STATE", "PHI", "EPOCH", "PRIM", "SHAD");
        for (JsonNode h : c.tree("/hosts")) {
            out.printf("%-12s %-8s %-12s %6.1f %6d %5d %5d%n", h.get("name").asText(), h.get("rack").asText(),
                h.get("state").asText(), h.get("phi").asDouble(), h.get("fencingEpoch").asLong(), h.get("primaries").asInt(),
                h.get("shadows").asInt());
        }
        out.println();
        VmListCommandSupport.printVms(out, c.tree("/vms"));
        for (JsonNode f : s.get("failovers")) {
            out.printf("failover %s (%s): %s -> %s, RTO %d ms (detection %d, promotion %d), RPO %d epochs%s%n",
                f.get("vm").asText(), f.path("cause").asText("host-dead"), f.get("deadHost").asText(),
                f.get("promotedHost").asText(), f.get("rtoMs").asLong(), f.path("detectionMs").asLong(),
                f.path("promotionMs").asLong(), f.get("rpoEpochs").asLong(),
                f.path("stateDigest").asText("").isEmpty() ? "" : ", state digest " + f.path("stateDigest").asText());
        }
        out.flush();
        return 0;
    }
}
