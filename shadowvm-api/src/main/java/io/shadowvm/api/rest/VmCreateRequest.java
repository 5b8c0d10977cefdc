package io.shadowvm.api.rest;

import io.shadowvm.core.vm.FailureDomain;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/vms}. Only {@code name} is required; every other field has the default written next
 * to it. {@link #toSpec()} validates once and names the field and the bound on the first violation.
 *
 * <pre>{"name":"web1","vcpus":1,"memoryMib":256,"networkMbps":100,
 *  "shadowPolicy":{"shadows":1,"mode":"serving","avoid":["rack"],"maxLagMs":1000,"stalenessMs":2000}}</pre>
 */
public record VmCreateRequest(String name, Integer vcpus, Long memoryMib, Double networkMbps,
                              ShadowPolicyRequest shadowPolicy, List<String> communicatesWith, String guest) {
    public static final int DEFAULT_VCPUS = 1;
    public static final long DEFAULT_MEMORY_MIB = 256;
    public static final double DEFAULT_NETWORK_MBPS = 100;
    public static final String DEFAULT_GUEST = "process";
    public static final int MAX_VCPUS = 256;
    public static final long MAX_MEMORY_MIB = 4L * 1024 * 1024;
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** The shadow policy part; defaults to 1 standby shadow avoiding the primary's rack. */
    public record ShadowPolicyRequest(Integer shadows, String mode, List<String> avoid, Long maxLagMs,
                                      Long stalenessMs, Boolean allowPartial) {
    }

    public VmSpec toSpec() {
        if (name == null) {
            throw ApiException.badField("name", "missing (expected: a VM name matching " + NAME + ")");
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiException.badField("name", "'" + name + "' (expected: matching " + NAME + ")");
        }
        int cpus = vcpus == null ? DEFAULT_VCPUS : vcpus;
        if (cpus < 1 || cpus > MAX_VCPUS) {
            throw ApiException.badField("vcpus", cpus + " (expected: 1.." + MAX_VCPUS + ")");
        }
        long mem = memoryMib == null ? DEFAULT_MEMORY_MIB : memoryMib;
        if (mem < 1 || mem > MAX_MEMORY_MIB) {
            throw ApiException.badField("memoryMib", mem + " (expected: 1.." + MAX_MEMORY_MIB + ")");
        }
        double net = networkMbps == null ? DEFAULT_NETWORK_MBPS : networkMbps;
        if (!(net >= 0) || Double.isInfinite(net)) {
            throw ApiException.badField("networkMbps", net + " (expected: >= 0)");
        }
        String g = guest == null ? DEFAULT_GUEST : guest;
        if (!g.equals("process") && !g.equals("qemu")) {
            throw ApiException.badField("guest", "'" + g + "' (expected: process or qemu)");
        }
        List<String> peers = communicatesWith == null ? List.of() : communicatesWith;
        return new VmSpec(name, cpus, mem, net, policy(), peers);
    }

    private ShadowPolicy policy() {
        ShadowPolicyRequest p = shadowPolicy == null
            ? new ShadowPolicyRequest(null, null, null, null, null, null) : shadowPolicy;
        int n = p.shadows() == null ? 1 : p.shadows();
        if (n < 0 || n > ShadowPolicy.MAX_SHADOWS) {
            throw ApiException.badField("shadowPolicy.shadows", n + " (expected: 0.." + ShadowPolicy.MAX_SHADOWS + ")");
        }
        ShadowMode mode;
        String m = p.mode() == null ? "standby" : p.mode();
        try {
            mode = ShadowMode.valueOf(m.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("shadowPolicy.mode", "'" + m + "' (expected: standby or serving)");
        }
        EnumSet<FailureDomain> avoid = EnumSet.of(FailureDomain.RACK);
        if (p.avoid() != null) {
            for (String d : p.avoid()) {
                try {
                    avoid.add(FailureDomain.valueOf(String.valueOf(d).toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badField("shadowPolicy.avoid", "'" + d + "' (expected: rack, pod or power)");
                }
            }
        }
        long lag = p.maxLagMs() == null ? ShadowPolicy.DEFAULT_MAX_LAG_MS : p.maxLagMs();
        if (lag < 1 || lag > 3_600_000) {
            throw ApiException.badField("shadowPolicy.maxLagMs", lag + " (expected: 1..3600000)");
        }
        long stale = p.stalenessMs() == null ? ShadowPolicy.DEFAULT_STALENESS_MS : p.stalenessMs();
        if (stale < 1 || stale > 3_600_000) {
            throw ApiException.badField("shadowPolicy.stalenessMs", stale + " (expected: 1..3600000)");
        }
        boolean partial = p.allowPartial() != null && p.allowPartial();
        return new ShadowPolicy(n, mode, avoid, lag, stale, partial, false);
    }
}
