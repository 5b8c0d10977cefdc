package io.shadowvm.hypervisor.checkpoint;

import io.shadowvm.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Publishes committed epochs of a replica for read-only serving instances: after each commit the replica file is
 * copied to {@code serve-E.state} and {@code current} is renamed to name it, so a follower switches from one whole
 * epoch to the next and never sees a half-applied one. The previous snapshot is kept (a follower may still be
 * answering from it); older ones are deleted. Called on the sink's thread.
 */
public final class SnapshotPublisher {
    private final Path dir;
    private final Path source;
    private long previous = -1;
    private long current = -1;

    public SnapshotPublisher(Path dir, Path source) {
        this.dir = dir;
        this.source = source;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HypervisorException("cannot create snapshot directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public void publish(long epoch) {
        try {
            Path tmp = dir.resolve("serve.tmp");
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, dir.resolve(name(epoch)), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Path ctmp = dir.resolve("current.tmp");
            Files.writeString(ctmp, name(epoch));
            Files.move(ctmp, dir.resolve("current"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (previous >= 0) {
                Files.deleteIfExists(dir.resolve(name(previous)));
            }
            previous = current;
            current = epoch;
        } catch (IOException e) {
            throw new HypervisorException("cannot publish epoch " + epoch + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    private static String name(long epoch) {
        return "serve-" + epoch + ".state";
    }
}
