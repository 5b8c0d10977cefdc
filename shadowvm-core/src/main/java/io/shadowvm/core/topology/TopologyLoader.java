package io.shadowvm.core.topology;

import io.shadowvm.core.config.ConfigNode;
import io.shadowvm.core.config.ConfigParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads and validates a topology YAML file (schema in {@code docs/config.md}). Unknown fields, duplicate
 * names, missing fields and impossible capacities are errors that name file, line, column and field.
 */
public final class TopologyLoader {
    public static final int MAX_CORES = 4096;
    public static final long MAX_MEMORY_MIB = 64L << 20;       // 64 TiB
    public static final double MAX_NIC_GBPS = 1_600;
    public static final double MAX_UPLINK_GBPS = 102_400;
    public static final double MAX_LATENCY_US = 1_000_000;

    private static final Set<String> ROOT_FIELDS = Set.of("datacenter", "pods");
    private static final Set<String> POD_FIELDS = Set.of("name", "racks");
    private static final Set<String> RACK_FIELDS = Set.of("name", "uplinkGbps", "uplinkLatencyUs", "power", "hosts");
    private static final Set<String> HOST_FIELDS = Set.of("name", "cores", "memoryMib", "nicGbps", "linkLatencyUs");

    private TopologyLoader() {
    }

    public static Topology load(Path file) {
        return fromNode(ConfigParser.parse(file));
    }

    public static Topology parse(String yaml, String fileName) {
        return fromNode(ConfigParser.parse(yaml, fileName));
    }

    public static Topology fromNode(ConfigNode root) {
        root.requireMap().allowOnly(ROOT_FIELDS);
        String dc = root.name("datacenter");
        List<Pod> pods = new ArrayList<>();
        List<Rack> racks = new ArrayList<>();
        List<Host> hosts = new ArrayList<>();
        Map<String, ConfigNode> seen = new HashMap<>();
        List<ConfigNode> podNodes = root.get("pods").requireList();
        if (podNodes.isEmpty()) {
            throw root.get("pods").error("empty (expected: at least one pod)");
        }
        for (ConfigNode pn : podNodes) {
            pn.requireMap().allowOnly(POD_FIELDS);
            String podName = unique(pn, "pod", seen);
            int podIndex = pods.size();
            List<Integer> podRacks = new ArrayList<>();
            List<ConfigNode> rackNodes = pn.get("racks").requireList();
            if (rackNodes.isEmpty()) {
                throw pn.get("racks").error("empty (expected: at least one rack)");
            }
            for (ConfigNode rn : rackNodes) {
                rn.requireMap().allowOnly(RACK_FIELDS);
                String rackName = unique(rn, "rack", seen);
                int rackIndex = racks.size();
                double uplink = rn.number("uplinkGbps", 0.001, MAX_UPLINK_GBPS);
                double uplinkLatency = rn.number("uplinkLatencyUs", 0, 0, MAX_LATENCY_US);
                String power = rn.has("power") ? rn.name("power") : null;
                List<Integer> rackHosts = new ArrayList<>();
                List<ConfigNode> hostNodes = rn.get("hosts").requireList();
                if (hostNodes.isEmpty()) {
                    throw rn.get("hosts").error("empty (expected: at least one host)");
                }
                for (ConfigNode hn : hostNodes) {
                    hn.requireMap().allowOnly(HOST_FIELDS);
                    String hostName = unique(hn, "host", seen);
                    int cores = (int) hn.integer("cores", 1, MAX_CORES);
                    long mem = hn.integer("memoryMib", 1, MAX_MEMORY_MIB);
                    double nic = hn.number("nicGbps", 0.001, MAX_NIC_GBPS);
                    double lat = hn.number("linkLatencyUs", 0, 0, MAX_LATENCY_US);
                    rackHosts.add(hosts.size());
                    hosts.add(new Host(hosts.size(), hostName, rackIndex, podIndex, cores, mem, nic, lat));
                }
                racks.add(new Rack(rackIndex, rackName, podIndex, uplink, uplinkLatency, power, rackHosts));
                podRacks.add(rackIndex);
            }
            pods.add(new Pod(podIndex, podName, podRacks));
        }
        return new Topology(dc, pods, racks, hosts);
    }

    /** Reads the node's name and rejects a second use of it among pods, racks and hosts. */
    private static String unique(ConfigNode node, String kind, Map<String, ConfigNode> seen) {
        String name = node.name("name");
        String key = kind + ":" + name;
        ConfigNode first = seen.putIfAbsent(key, node);
        if (first != null) {
            throw node.get("name").error("duplicate " + kind + " name '" + name + "' (first defined at line "
                + first.line() + ")");
        }
        return name;
    }
}
