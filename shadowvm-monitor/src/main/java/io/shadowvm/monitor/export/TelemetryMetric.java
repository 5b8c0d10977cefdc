package io.shadowvm.monitor.export;

/** The metrics a telemetry batch carries; {@link #code()} is the wire value and never changes. */
public enum TelemetryMetric {
    RTT_MS(1, "rtt_ms", true),
    CONNECT_MS(2, "connect_ms", true),
    UDP_RTT_MS(3, "udp_rtt_ms", true),
    RTT_LOSS(4, "rtt_loss", true),
    CONNECT_LOSS(5, "connect_loss", true),
    UDP_LOSS(6, "udp_loss", true),
    LINK_UTIL(7, "link_util", false),
    TX_BPS(8, "tx_bps", false),
    RX_BPS(9, "rx_bps", false);

    private static final TelemetryMetric[] BY_CODE = new TelemetryMetric[16];

    static {
        for (TelemetryMetric m : values()) {
            BY_CODE[m.code] = m;
        }
    }

    private final int code;
    private final String jsonName;
    private final boolean probe;

    TelemetryMetric(int code, String jsonName, boolean probe) {
        this.code = code;
        this.jsonName = jsonName;
        this.probe = probe;
    }

    public int code() {
        return code;
    }

    public String jsonName() {
        return jsonName;
    }

    /** Probe metrics name a source and destination host; the others name a link or interface. */
    public boolean isProbe() {
        return probe;
    }

    /** The metric with this wire code, or {@code null}. */
    public static TelemetryMetric ofCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
