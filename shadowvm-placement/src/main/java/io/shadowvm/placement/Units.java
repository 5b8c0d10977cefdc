package io.shadowvm.placement;

import java.util.Locale;

/** Formats amounts the way error messages and tables show them. */
final class Units {
    private Units() {
    }

    /** {@code 16 GiB} when a whole number of GiB, else {@code 1536 MiB}. */
    static String mib(long mib) {
        return mib % 1024 == 0 ? (mib / 1024) + " GiB" : mib + " MiB";
    }

    /** {@code 500 Mbps}, {@code 12.5 Mbps}. */
    static String mbps(double mbps) {
        if (mbps == Math.rint(mbps) && Math.abs(mbps) < 1e15) {
            return (long) mbps + " Mbps";
        }
        return String.format(Locale.ROOT, "%.1f Mbps", mbps);
    }
}
