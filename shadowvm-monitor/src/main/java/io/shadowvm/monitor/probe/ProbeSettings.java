package io.shadowvm.monitor.probe;

import java.util.concurrent.TimeUnit;

/**
 * How a prober probes, validated once at construction.
 *
 * @param payloadBytes        frame size of every probe, {@value ProbeFrame#HEADER_LENGTH}-{@value
 *                            ProbeFrame#MAX_LENGTH}; larger probes show bandwidth-delay effects
 * @param timeoutNs           a probe not answered within this counts as lost
 * @param reconnectIntervalNs the kept TCP connection is re-established this often, which is the connect
 *                            probe (Pingmesh measures a fresh handshake); 0 keeps it until it breaks
 * @param tcp                 send TCP probes (connect + request/response)
 * @param udp                 send UDP echo probes
 */
public record ProbeSettings(int payloadBytes, long timeoutNs, long reconnectIntervalNs, boolean tcp, boolean udp) {
    public static final long MAX_TIMEOUT_NS = 60_000_000_000L;
    public static final ProbeSettings DEFAULT = new ProbeSettings(64, TimeUnit.MILLISECONDS.toNanos(1_000),
        TimeUnit.SECONDS.toNanos(30), true, true);

    public ProbeSettings {
        ProbeFrame.checkLength(payloadBytes);
        if (timeoutNs < TimeUnit.MILLISECONDS.toNanos(1) || timeoutNs > MAX_TIMEOUT_NS) {
            throw new ProbeFrameException("invalid probe timeout: " + TimeUnit.NANOSECONDS.toMillis(timeoutNs)
                + " ms (expected: 1-" + TimeUnit.NANOSECONDS.toMillis(MAX_TIMEOUT_NS) + " ms)");
        }
        if (reconnectIntervalNs < 0) {
            throw new ProbeFrameException("invalid reconnect interval: " + reconnectIntervalNs + " ns (expected: >= 0)");
        }
        if (!tcp && !udp) {
            throw new ProbeFrameException("no probe protocol enabled (expected: tcp, udp or both)");
        }
    }

    public ProbeSettings withPayloadBytes(int bytes) {
        return new ProbeSettings(bytes, timeoutNs, reconnectIntervalNs, tcp, udp);
    }

    public ProbeSettings withTimeoutMs(long ms) {
        return new ProbeSettings(payloadBytes, TimeUnit.MILLISECONDS.toNanos(ms), reconnectIntervalNs, tcp, udp);
    }

    public ProbeSettings withReconnectIntervalMs(long ms) {
        return new ProbeSettings(payloadBytes, timeoutNs, TimeUnit.MILLISECONDS.toNanos(ms), tcp, udp);
    }
}
