package io.shadowvm.monitor.counters;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One interface's byte and packet counters, read from {@code <sysNet>/<iface>/statistics/*}. The four
 * files stay open and are re-read with a positional read into one reused buffer: sysfs regenerates the
 * value on every read from offset 0, so a sample costs four {@code pread}s and no allocation.
 */
public final class InterfaceCounters implements AutoCloseable {
    public static final Path SYS_CLASS_NET = Path.of("/sys/class/net");
    private static final String[] FILES = {"tx_bytes", "rx_bytes", "tx_packets", "rx_packets"};

    private final String name;
    private final FileChannel[] files = new FileChannel[FILES.length];
    private final ByteBuffer buf = ByteBuffer.allocateDirect(32); // direct: the JDK copies heap buffers through a temporary one
    private final long[] values = new long[FILES.length];

    public InterfaceCounters(Path sysNet, String name) throws IOException {
        this.name = name;
        Path dir = sysNet.resolve(name).resolve("statistics");
        try {
            for (int i = 0; i < FILES.length; i++) {
                files[i] = FileChannel.open(dir.resolve(FILES[i]), StandardOpenOption.READ);
            }
        } catch (IOException e) {
            close();
            throw new IOException("cannot read counters of interface " + name + " in " + dir + ": " + e, e);
        }
    }

    /** The interfaces under {@code sysNet} (e.g. {@code /sys/class/net}), sorted by name. */
    public static List<String> list(Path sysNet) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(sysNet)) {
            s.forEach(p -> {
                if (Files.isDirectory(p.resolve("statistics"))) {
                    names.add(p.getFileName().toString());
                }
            });
        }
        names.sort(null);
        return names;
    }

    public String name() {
        return name;
    }

    /** Reads all four counters; false when the interface vanished or a file did not hold a number. */
    public boolean read() {
        for (int i = 0; i < FILES.length; i++) {
            long v = readLong(files[i]);
            if (v < 0) {
                return false;
            }
            values[i] = v;
        }
        return true;
    }

    public long txBytes() {
        return values[0];
    }

    public long rxBytes() {
        return values[1];
    }

    public long txPackets() {
        return values[2];
    }

    public long rxPackets() {
        return values[3];
    }

    private long readLong(FileChannel ch) {
        buf.clear();
        try {
            int n = ch.read(buf, 0);
            if (n <= 0) {
                return -1;
            }
        } catch (IOException e) {
            return -1;
        }
        long v = 0;
        int digits = 0;
        for (int i = 0, end = buf.position(); i < end; i++) {
            byte b = buf.get(i);
            if (b >= '0' && b <= '9') {
                v = v * 10 + (b - '0');
                digits++;
            } else if (b == '\n' || b == ' ') {
                break;
            } else {
                return -1;
            }
        }
        return digits == 0 ? -1 : v;
    }

    @Override
    public void close() {
        for (FileChannel f : files) {
            if (f != null) {
                try {
                    f.close();
                } catch (IOException ignored) {
                    // read-only sysfs file: nothing to flush
                }
            }
        }
    }
}
