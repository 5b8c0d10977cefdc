package io.shadowvm.sync.codec;

import io.shadowvm.sync.SyncException;
import java.util.Locale;

/** Block compression of a page batch. The wire id is part of the format: never renumber. */
public enum Compression {
    NONE(0),
    LZ4(1),
    ZSTD(2);

    private final int wireId;

    Compression(int wireId) {
        this.wireId = wireId;
    }

    public int wireId() {
        return wireId;
    }

    public static Compression fromWireId(int id) {
        for (Compression c : values()) {
            if (c.wireId == id) {
                return c;
            }
        }
        throw new CorruptPageException("unknown compression id: " + id + " (expected: 0-2)");
    }

    /** Parses a CLI name: {@code lz4}, {@code zstd} or {@code none}. */
    public static Compression parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SyncException("unknown compression: '" + name + "' (expected: lz4, zstd or none)");
        }
    }
}
