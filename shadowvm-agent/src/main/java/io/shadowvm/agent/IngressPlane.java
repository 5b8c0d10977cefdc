package io.shadowvm.agent;

import java.util.List;

/** The agent's port to an ingress data plane (L4/L7 proxy, nftables): replaces one VM's weight table whole. */
public interface IngressPlane extends AutoCloseable {
    /** One backend of a VM: its host, the address it serves at, its share of new connections. */
    record Backend(String host, String address, double weight) {
    }

    /** Applies the table; {@code version} is monotonic per VM and an older one is ignored. */
    void apply(String vm, long version, List<Backend> backends);

    String describe();

    @Override
    default void close() {
    }
}
