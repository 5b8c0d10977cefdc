package io.shadowvm.hypervisor.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The sample process guest: a key-value service on 127.0.0.1 whose whole state is a memory-mapped file, so that
 * ShadowVM can checkpoint it by pausing the process and copying dirty pages of the file.
 *
 * <pre>
 * state file: page 0 = header, then 128-byte slots (open addressing, linear probing)
 *   header: magic "SVKV" (u32) | version 1 (u32) | heartbeat (u64) | hits (u64) | keys (u64) | boot id (36 ASCII)
 *   slot:   used (u8) | key length (u8) | value length (u8) | pad (u8) | key (32) | value (64) | pad
 * protocol (one line each way): SET k v -> OK | GET k -> VALUE v or NONE | INCR -> HITS n |
 *   STATE -> heartbeat=n hits=n keys=n boot_id=s | anything else -> ERR reason
 * keys [A-Za-z0-9_-]{1,32}, values [A-Za-z0-9_.-]{0,64}
 * </pre>
 *
 * Usage: {@code KvGuestMain --size BYTES --port P (--state FILE | --follow DIR | --standby)}. With {@code --follow} the
 * instance is read-only and serves the snapshot named in {@code DIR/current}, re-mapping it when the name changes (a
 * serving shadow that switches epochs atomically). With {@code --standby} it is a warm spare that answers every request
 * with {@code ERR standby}. It prints {@code READY <port>} when it accepts connections and bumps the heartbeat every
 * 100 ms (primary only).
 *
 * <p>Adoption (promotion without a JVM start): a follower or a standby that reads {@code ADOPT <file>} on its standard
 * input maps that file read-write, becomes a primary on it (same port, heartbeat started) and prints
 * {@code ADOPTED <file>}; anything else on standard input is answered with {@code ERR ...}. A guest adopts once.
 */
public final class KvGuestMain {
    static final int MAGIC = 0x564B5653; // "SVKV"
    static final int SLOT = 128;
    static final int HEADER = 4096;
    static final int OFF_HEARTBEAT = 8;
    static final int OFF_HITS = 16;
    static final int OFF_KEYS = 24;
    static final int OFF_BOOT = 32;

    private MappedByteBuffer map;
    private Path followDir;
    private String followName = "";
    private final long size;
    private final Object lock = new Object();

    private KvGuestMain(MappedByteBuffer map, Path followDir, long size) {
        this.map = map;
        this.followDir = followDir;
        this.size = size;
    }

    public static void main(String[] args) throws Exception {
        Path state = null;
        long size = 4 << 20;
        int port = 0;
        Path follow = null;
        boolean standby = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--standby")) {
                standby = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--state" -> state = Path.of(args[++i]);
                case "--size" -> size = Long.parseLong(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--follow" -> follow = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (size < 2 * HEADER || size % 4096 != 0 || size > (1L << 30)) {
            throw new IllegalArgumentException("invalid --size " + size + " (expected: a multiple of 4096, 8192-1073741824)");
        }
        KvGuestMain g;
        if (follow != null) {
            g = new KvGuestMain(null, follow, size);
            g.refresh();
        } else if (standby) {
            g = new KvGuestMain(null, null, size);
        } else {
            if (state == null) {
                throw new IllegalArgumentException("--state, --follow or --standby is required");
            }
            g = new KvGuestMain(mapWritable(state, size), null, size);
            g.initIfEmpty();
            g.startHeartbeat();
        }
        if (follow != null || standby) {
            Thread adopt = new Thread(g::awaitAdoption, "adopt");
            adopt.setDaemon(true);
            adopt.start();
        }
        // the address the guest serves on: loopback unless its agent serves a network (SHADOWVM_GUEST_BIND)
        String bind = System.getenv("SHADOWVM_GUEST_BIND");
        InetAddress at = bind == null || bind.isBlank() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(bind);
        try (ServerSocket server = new ServerSocket(port, 50, at)) {
            System.out.println("READY " + server.getLocalPort());
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                Thread t = new Thread(() -> g.serve(s), "conn");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    static MappedByteBuffer mapWritable(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() < size) {
                ch.truncate(size);
                ch.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1);
            }
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            m.order(ByteOrder.LITTLE_ENDIAN);
            return m;
        }
    }

    private void startHeartbeat() {
        Thread hb = new Thread(this::heartbeat, "heartbeat");
        hb.setDaemon(true);
        hb.start();
    }

    /** Standard input: {@code ADOPT <file>} makes this follower or standby the primary on that file. */
    private void awaitAdoption() {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("ADOPT ")) {
                    reply("ERR expected ADOPT <file>, got: " + line);
                    continue;
                }
                Path file = Path.of(line.substring(6).strip());
                try {
                    MappedByteBuffer m = mapWritable(file, size);
                    synchronized (lock) {
                        map = m;
                        followDir = null;
                        followName = "";
                        initIfEmpty();
                    }
                    startHeartbeat();
                    reply("ADOPTED " + file);
                    return;
                } catch (IOException | RuntimeException e) {
                    reply("ERR cannot adopt " + file + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            // the agent went away: nothing to adopt
        }
    }

    private static void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private void initIfEmpty() {
        synchronized (lock) {
            if (map.getInt(0) != MAGIC) {
                map.putInt(0, MAGIC).putInt(4, 1).putLong(OFF_HEARTBEAT, 0).putLong(OFF_HITS, 0).putLong(OFF_KEYS, 0);
                byte[] id = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
                map.put(OFF_BOOT, id);
            }
        }
    }

    /** Follow mode: re-map when DIR/current names another snapshot. */
    private void refresh() throws IOException {
        String name = Files.readString(followDir.resolve("current")).strip();
        if (!name.equals(followName)) {
            Path f = followDir.resolve(name);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
                m.order(ByteOrder.LITTLE_ENDIAN);
                map = m;
                followName = name;
            }
        }
    }

    private void heartbeat() {
        while (true) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                map.putLong(OFF_HEARTBEAT, map.getLong(OFF_HEARTBEAT) + 1);
            }
        }
    }

    private void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = s.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                String reply;
                synchronized (lock) {
                    reply = handle(line.strip());
                }
                out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private String handle(String line) {
        String[] p = line.split(" ", 3);
        try {
            if (followDir != null) {
                refresh();
            }
        } catch (IOException e) {
            return "ERR no snapshot to serve: " + e.getMessage();
        }
        if (map == null) {
            return "ERR standby instance: not promoted";
        }
        boolean ro = followDir != null;
        switch (p[0]) {
            case "STATE":
                return "heartbeat=" + map.getLong(OFF_HEARTBEAT) + " hits=" + map.getLong(OFF_HITS) + " keys="
                        + map.getLong(OFF_KEYS) + " boot_id=" + bootId() + (ro ? " snapshot=" + followName : "");
            case "INCR":
                if (ro) {
                    return "ERR read-only instance";
                }
                map.putLong(OFF_HITS, map.getLong(OFF_HITS) + 1);
                return "HITS " + map.getLong(OFF_HITS);
            case "GET":
                if (p.length < 2 || !validKey(p[1])) {
                    return "ERR bad key";
                }
                int g = find(p[1]);
                return g < 0 || map.get(g) == 0 ? "NONE" : "VALUE " + value(g);
            case "SET":
                if (ro) {
                    return "ERR read-only instance";
                }
                if (p.length < 3 || !validKey(p[1]) || !p[2].matches("[A-Za-z0-9_.-]{0,64}")) {
                    return "ERR bad key or value (key [A-Za-z0-9_-]{1,32}, value [A-Za-z0-9_.-]{0,64})";
                }
                int at = find(p[1]);
                if (at < 0) {
                    return "ERR full";
                }
                if (map.get(at) == 0) {
                    map.putLong(OFF_KEYS, map.getLong(OFF_KEYS) + 1);
                }
                byte[] k = p[1].getBytes(StandardCharsets.US_ASCII);
                byte[] v = p[2].getBytes(StandardCharsets.US_ASCII);
                map.put(at + 1, (byte) k.length).put(at + 2, (byte) v.length).put(at + 4, k).put(at + 36, v);
                map.put(at, (byte) 1);
                return "OK";
            default:
                return "ERR unknown command (SET, GET, INCR, STATE)";
        }
    }

    private static boolean validKey(String k) {
        return k.matches("[A-Za-z0-9_-]{1,32}");
    }

    private String bootId() {
        byte[] b = new byte[36];
        map.get(OFF_BOOT, b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    private String value(int at) {
        byte[] v = new byte[map.get(at + 2)];
        map.get(at + 36, v);
        return new String(v, StandardCharsets.US_ASCII);
    }

    /** The slot holding {@code key}, or the empty slot where it would go, or -1 when full. */
    private int find(String key) {
        int slots = (map.capacity() - HEADER) / SLOT;
        byte[] k = key.getBytes(StandardCharsets.US_ASCII);
        int start = Math.floorMod(key.hashCode(), slots);
        for (int i = 0; i < slots; i++) {
            int at = HEADER + ((start + i) % slots) * SLOT;
            if (map.get(at) == 0) {
                return at;
            }
            if (map.get(at + 1) == k.length) {
                byte[] have = new byte[k.length];
                map.get(at + 4, have);
                if (java.util.Arrays.equals(have, k)) {
                    return at;
                }
            }
        }
        return -1;
    }
}
