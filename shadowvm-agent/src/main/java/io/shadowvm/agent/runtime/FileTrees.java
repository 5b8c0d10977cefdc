package io.shadowvm.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Best-effort file clean-up for runtimes: a leftover file is harmless, a leftover QEMU is not (killed first). */
final class FileTrees {
    private FileTrees() {
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort
        }
    }

    /** Deletes {@code p} and its sync siblings ({@code p.sync-meta}, {@code p.sync-critical}, journals). */
    static void deleteWithSiblings(Path p) {
        deleteQuietly(p);
        Path dir = p.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String prefix = p.getFileName() + ".sync-";
        try (Stream<Path> l = Files.list(dir)) {
            l.filter(f -> f.getFileName().toString().startsWith(prefix)).forEach(FileTrees::deleteQuietly);
        } catch (IOException e) {
            // best effort
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> w = Files.walk(dir)) {
            w.sorted(Comparator.reverseOrder()).forEach(FileTrees::deleteQuietly);
        } catch (IOException e) {
            // best effort
        }
    }
}
