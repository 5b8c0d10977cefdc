package io.shadowvm.monitor.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes one JSON object per sample and line:
 * <pre>
 * {"ts":1764323000123,"metric":"rtt_ms","src":"r1h1","dst":"r2h1","value":0.142}
 * {"ts":1764323000123,"metric":"rtt_loss","src":"r1h1","dst":"r2h1","value":1}
 * {"ts":1764323000123,"metric":"link_util","link":"r1-spine","value":0.973}
 * </pre>
 * Names are written as given (host and link names are validated identifiers, so they need no escaping
 * beyond quotes and backslashes, which are escaped anyway). Lines are built in one reused buffer and
 * written on {@link #flush()}; NaN and infinite values are not JSON numbers and are skipped.
 */
public final class JsonLinesSink {
    private final Writer out;
    private final StringBuilder sb = new StringBuilder(4_096);

    public JsonLinesSink(Writer out) {
        this.out = out;
    }

    public void probe(long epochMs, String metric, String src, String dst, double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        sb.append("{\"ts\":").append(epochMs).append(",\"metric\":\"").append(metric).append("\",\"src\":");
        string(src);
        sb.append(",\"dst\":");
        string(dst);
        value(value);
    }

    public void link(long epochMs, String metric, String link, double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        sb.append("{\"ts\":").append(epochMs).append(",\"metric\":\"").append(metric).append("\",\"link\":");
        string(link);
        value(value);
    }

    private void value(double v) {
        sb.append(",\"value\":");
        if (Math.abs(v) < 1e12) {
            // fixed point with up to 6 decimals: no exponent, no allocation
            long micros = Math.round(v * 1e6);
            if (micros < 0) {
                sb.append('-');
                micros = -micros;
            }
            sb.append(micros / 1_000_000);
            long frac = micros % 1_000_000;
            if (frac != 0) {
                sb.append('.');
                int len = sb.length();
                sb.append(frac + 1_000_000).deleteCharAt(len); // zero-padded to 6 digits
                int end = sb.length();
                while (sb.charAt(end - 1) == '0') {
                    end--;
                }
                sb.setLength(end);
            }
        } else {
            sb.append(v);
        }
        sb.append("}\n");
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /** Writes the buffered lines. */
    public void flush() {
        if (sb.length() == 0) {
            return;
        }
        try {
            out.append(sb);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write samples: " + e.getMessage(), e);
        } finally {
            sb.setLength(0);
        }
    }
}
