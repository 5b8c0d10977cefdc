package io.shadowvm.monitor.probe;

/** What a probe measured; {@link #jsonName()} is the {@code metric} field of a JSON-lines sample. */
public enum ProbeMetric {
    /** Request/response round trip over the kept TCP connection. */
    TCP_RTT("rtt_ms"),
    /** Time from {@code connect()} until the handshake completed. */
    TCP_CONNECT("connect_ms"),
    /** UDP echo round trip. */
    UDP_RTT("udp_rtt_ms");

    private final String jsonName;

    ProbeMetric(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** The metric name of a loss of this kind of probe, e.g. {@code rtt_loss}. */
    public String lossName() {
        return switch (this) {
            case TCP_RTT -> "rtt_loss";
            case TCP_CONNECT -> "connect_loss";
            case UDP_RTT -> "udp_loss";
        };
    }
}
