package io.shadowvm.hypervisor.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the test guest's serial console: {@code GUEST-UP boot_id=...} once per boot, then {@code CNT <n> up=...
 * boot=...} per heartbeat. A restored guest prints no {@code GUEST-UP} and continues the {@code CNT} sequence; the
 * primary's log up to the checkpoint followed by the shadow's log reads as one uninterrupted boot.
 */
public final class GuestConsole {
    private GuestConsole() {
    }

    public static String read(Path log) {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Heartbeat values of the complete {@code CNT} lines, in order. */
    public static List<Long> counters(String text) {
        List<Long> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int nl = text.indexOf('\n', from);
            if (nl < 0) {
                return out;
            }
            String line = text.substring(from, nl).strip();
            from = nl + 1;
            if (line.startsWith("CNT ")) {
                int sp = line.indexOf(' ', 4);
                try {
                    out.add(Long.parseLong(line.substring(4, sp < 0 ? line.length() : sp)));
                } catch (NumberFormatException e) {
                    // a line torn by a kernel message: not a heartbeat
                }
            }
        }
    }

    /** The last complete heartbeat, or -1. */
    public static long lastCounter(String text) {
        List<Long> c = counters(text);
        return c.isEmpty() ? -1 : c.get(c.size() - 1);
    }

    public static int boots(String text) {
        int n = 0;
        for (int i = text.indexOf("GUEST-UP"); i >= 0; i = text.indexOf("GUEST-UP", i + 1)) {
            n++;
        }
        return n;
    }
}
