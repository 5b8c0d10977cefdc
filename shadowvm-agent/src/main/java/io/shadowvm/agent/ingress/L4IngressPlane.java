package io.shadowvm.agent.ingress;

import io.shadowvm.agent.IngressPlane;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.redirect.RelativeWeights;
import io.shadowvm.redirect.l4.L4Config;
import io.shadowvm.redirect.l4.L4Redirector;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shadowvm-redirect {@link L4Redirector} per VM on the ingress host. A new weight table over the same
 * backends is swapped in place (open connections stay where they are); a table whose backends changed
 * (a promotion, a new shadow) replaces the redirector on the same port. The listening port of each VM is
 * chosen on first use ({@code basePort + n}, or any free port when {@code basePort} is 0) and kept.
 */
public final class L4IngressPlane implements IngressPlane {
    private final String bind;
    private final int basePort;
    private final Map<String, L4Redirector> redirectors = new ConcurrentHashMap<>();
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final Map<String, List<io.shadowvm.redirect.Backend>> backends = new ConcurrentHashMap<>();

    public L4IngressPlane(String bind, int basePort) {
        this.bind = bind;
        this.basePort = basePort;
    }

    /** Where clients of {@code vm} connect, or {@code null} before its first weight table. */
    public InetSocketAddress address(String vm) {
        L4Redirector r = redirectors.get(vm);
        return r == null ? null : r.localAddress();
    }

    /** The redirector of {@code vm} (its counters), or {@code null}. */
    public L4Redirector redirector(String vm) {
        return redirectors.get(vm);
    }

    @Override
    public synchronized void apply(String vm, long version, List<IngressPlane.Backend> table) {
        List<io.shadowvm.redirect.Backend> bs = new ArrayList<>();
        Map<String, Double> w = new LinkedHashMap<>();
        for (IngressPlane.Backend b : table) {
            if (b.address().isEmpty()) {
                continue;
            }
            bs.add(new io.shadowvm.redirect.Backend(b.host(), io.shadowvm.redirect.Backend.parseAddress(b.address())));
            w.put(b.host(), b.weight());
        }
        double total = w.values().stream().mapToDouble(Double::doubleValue).sum();
        if (bs.isEmpty() || !(total > 0)) {
            return; // nothing that can serve yet: keep the previous table
        }
        RelativeWeights weights = new RelativeWeights(w);
        L4Redirector current = redirectors.get(vm);
        if (current != null && bs.equals(backends.get(vm))) {
            current.setWeights(weights);
            return;
        }
        int port = ports.computeIfAbsent(vm, k -> basePort == 0 ? 0 : basePort + ports.size());
        if (current != null) {
            port = current.localAddress().getPort();
            current.close();
        }
        L4Redirector r;
        try {
            r = L4Redirector.start(L4Config.of(new InetSocketAddress(bind, port), bs, weights));
        } catch (RuntimeException e) {
            throw new ShadowVmException("ingress for " + vm + " on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        ports.put(vm, r.localAddress().getPort());
        redirectors.put(vm, r);
        backends.put(vm, List.copyOf(bs));
    }

    @Override
    public String describe() {
        return "shadowvm-redirect L4 redirector per VM on " + bind;
    }

    @Override
    public synchronized void close() {
        for (L4Redirector r : redirectors.values()) {
            r.close();
        }
        redirectors.clear();
    }
}
