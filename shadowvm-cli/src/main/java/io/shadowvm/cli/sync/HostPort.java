package io.shadowvm.cli.sync;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Parses {@code HOST:PORT} (and comma-separated lists of them) for picocli; bad values are usage errors. */
final class HostPort implements CommandLine.ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
        return parse(value);
    }

    static InetSocketAddress parse(String value) {
        String v = value.trim();
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new CommandLine.TypeConversionException("invalid address: '" + value + "' (expected: HOST:PORT)");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("invalid port in '" + value + "' (expected: 0-65535)");
        }
        if (port < 0 || port > 65535) {
            throw new CommandLine.TypeConversionException("invalid port: " + port + " (expected: 0-65535)");
        }
        return new InetSocketAddress(host, port);
    }

    /** {@code HOST:PORT[,HOST:PORT...]}. */
    static final class ListConverter implements CommandLine.ITypeConverter<List<InetSocketAddress>> {
        @Override
        public List<InetSocketAddress> convert(String value) {
            List<InetSocketAddress> out = new ArrayList<>();
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(parse(part));
                }
            }
            if (out.isEmpty()) {
                throw new CommandLine.TypeConversionException("invalid address list: '" + value + "' (expected: HOST:PORT[,HOST:PORT...])");
            }
            return out;
        }
    }
}
