package io.shadowvm.redirect;

import java.net.InetSocketAddress;

/**
 * A named place traffic can go: the primary or a serving shadow.
 *
 * @param name     unique within a data plane; letters, digits, '-', '_' and '.'
 * @param address  where to connect (resolved)
 */
public record Backend(String name, InetSocketAddress address) {
    public Backend {
        checkName(name);
        if (address == null || address.isUnresolved()) {
            throw new RedirectException("invalid address of backend " + name + ": " + address
                + " (expected: a resolved host:port)");
        }
    }

    public static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new RedirectException("invalid backend name: '" + name
                + "' (expected: 1-64 of letters, digits, '-', '_', '.')");
        }
    }

    /** Parses {@code HOST:PORT} (IPv6 as {@code [addr]:port}); names the offending text and the bound. */
    public static InetSocketAddress parseAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new RedirectException("invalid address: '" + text + "' (expected: HOST:PORT)");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new RedirectException("invalid port in '" + text + "' (expected: 0-65535)");
        }
        if (port < 0 || port > 65535) {
            throw new RedirectException("invalid port: " + port + " in '" + text + "' (expected: 0-65535)");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new RedirectException("unresolvable host in '" + text + "'");
        }
        return a;
    }
}
