package io.shadowvm.core.vm;

import io.shadowvm.core.config.ConfigNode;
import io.shadowvm.core.config.ConfigParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads and validates a VM spec file ({@code vms: [...]}, schema in {@code docs/config.md}). Every error
 * names file, line, column and field; duplicate VM names and {@code communicatesWith} entries that name no
 * VM of the file are errors.
 */
public final class VmSpecLoader {
    public static final int MAX_VCPUS = 1024;
    public static final long MAX_MEMORY_MIB = 16L << 20;      // 16 TiB
    public static final double MAX_NETWORK_MBPS = 1_600_000;
    public static final long MAX_LAG_MS = 3_600_000;

    static final Set<String> VM_FIELDS = Set.of("name", "vcpus", "memoryMib", "networkMbps", "shadows", "mode", "avoid",
        "maxLagMs", "stalenessMs", "allowPartial", "outputCommit", "communicatesWith");

    private VmSpecLoader() {
    }

    public static List<VmSpec> load(Path file) {
        return fromNode(ConfigParser.parse(file));
    }

    public static List<VmSpec> parse(String yaml, String fileName) {
        return fromNode(ConfigParser.parse(yaml, fileName));
    }

    public static List<VmSpec> fromNode(ConfigNode root) {
        root.requireMap().allowOnly(Set.of("vms"));
        List<VmSpec> vms = new ArrayList<>();
        Map<String, ConfigNode> byName = new HashMap<>();
        List<ConfigNode> items = root.get("vms").requireList();
        for (ConfigNode n : items) {
            VmSpec vm = parseVm(n);
            ConfigNode first = byName.putIfAbsent(vm.name(), n);
            if (first != null) {
                throw n.get("name").error("duplicate VM name '" + vm.name() + "' (first defined at line " + first.line() + ")");
            }
            vms.add(vm);
        }
        for (int i = 0; i < vms.size(); i++) {
            ConfigNode n = items.get(i);
            List<ConfigNode> partners = n.has("communicatesWith") ? n.get("communicatesWith").requireList() : List.of();
            for (ConfigNode p : partners) {
                String name = p.asText();
                if (!byName.containsKey(name)) {
                    throw p.error("'" + name + "' names no VM in this file (expected: one of the VM names)");
                }
                if (name.equals(vms.get(i).name())) {
                    throw p.error("'" + name + "' is the VM itself (expected: another VM)");
                }
            }
        }
        return List.copyOf(vms);
    }

    /** One VM entry; also used by the REST API for a single VM document. */
    public static VmSpec parseVm(ConfigNode n) {
        n.requireMap().allowOnly(VM_FIELDS);
        String name = n.name("name");
        int vcpus = (int) n.integer("vcpus", 1, MAX_VCPUS);
        long mem = n.integer("memoryMib", 1, MAX_MEMORY_MIB);
        double net = n.number("networkMbps", 0, 0, MAX_NETWORK_MBPS);
        int shadows = (int) n.integer("shadows", 1, 0, ShadowPolicy.MAX_SHADOWS);
        ShadowMode mode = n.enumValue("mode", ShadowMode.STANDBY);
        List<FailureDomain> avoid = n.has("avoid") ? n.list("avoid", d -> d.asEnum(FailureDomain.class))
            : List.of(FailureDomain.RACK);
        long maxLag = n.integer("maxLagMs", ShadowPolicy.DEFAULT_MAX_LAG_MS, 1, MAX_LAG_MS);
        long staleness = n.integer("stalenessMs", ShadowPolicy.DEFAULT_STALENESS_MS, 1, MAX_LAG_MS);
        boolean partial = n.bool("allowPartial", false);
        boolean outputCommit = n.bool("outputCommit", false);
        List<String> partners = n.list("communicatesWith", ConfigNode::asText);
        return new VmSpec(name, vcpus, mem, net,
            new ShadowPolicy(shadows, mode, java.util.EnumSet.copyOf(withRack(avoid)), maxLag, staleness, partial, outputCommit),
            partners);
    }

    private static List<FailureDomain> withRack(List<FailureDomain> avoid) {
        List<FailureDomain> l = new ArrayList<>(avoid);
        l.add(FailureDomain.RACK);
        return l;
    }
}
