package io.shadowvm.hypervisor.checkpoint;

import io.shadowvm.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * The standby shadow's state on the shadow host: a RAM file (in tmpfs, so QEMU can run on it at promotion) and the
 * device state of the last committed epoch. An epoch is applied atomically with a redo journal:
 * <ol>
 *   <li>verify the frame (CRC32C) and its device-state blob (header, length, CRC32C, QEVM magic): a bad epoch is
 *       refused and nothing changes;</li>
 *   <li>write the frame to {@code journal.tmp}, rename it to {@code journal} (the commit point);</li>
 *   <li>write the pages into the RAM file and the blob to {@code devstate-E.svds}, then {@code committed} (rename);</li>
 *   <li>delete the journal and the device state of older epochs (the previous one is kept).</li>
 * </ol>
 * {@link #open} redoes a journal left by a crash, so a half-applied epoch is never what promotion sees.
 * One thread owns a replica (the sink's); {@link #promotable()} is called by the same owner.
 */
public final class ShadowReplica implements AutoCloseable {
    private final Path dir;
    private final Path ramFile;
    private final GuestRam ram;
    private long committedEpoch = -1;
    private long bytesApplied;

    private ShadowReplica(Path dir, Path ramFile, long ramBytes) {
        this.dir = dir;
        this.ramFile = ramFile;
        this.ram = GuestRam.openWritable(ramFile, ramBytes);
    }

    /**
     * Opens (or creates) a replica.
     *
     * @param dir where the journal and device states live
     * @param ramFile the replica's RAM file (must be in a tmpfs that QEMU can use with {@code share=on})
     */
    public static ShadowReplica open(Path dir, Path ramFile, long ramBytes) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HypervisorException("cannot create replica directory " + dir + ": " + e.getMessage(), e);
        }
        ShadowReplica r = new ShadowReplica(dir, ramFile, ramBytes);
        r.recover();
        return r;
    }

    private void recover() {
        try {
            Path committed = dir.resolve("committed");
            if (Files.exists(committed)) {
                committedEpoch = Long.parseLong(Files.readString(committed).strip());
            }
            Path journal = dir.resolve("journal");
            if (Files.exists(journal)) {
                byte[] f = Files.readAllBytes(journal);
                EpochFrame.Header h = EpochFrame.readHeader(f, ram.sizeBytes());
                byte[] body = Arrays.copyOfRange(f, EpochFrame.HEADER_BYTES, f.length);
                applyCommitted(h, body);
            }
            Files.deleteIfExists(dir.resolve("journal.tmp"));
        } catch (IOException | NumberFormatException e) {
            throw new HypervisorException("cannot recover replica in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Verifies and applies one epoch. Epochs must arrive in order ({@code committed + 1}; the first may be any).
     *
     * @throws CorruptCheckpointException the epoch is refused; the replica still holds the previous epoch
     */
    public void apply(EpochFrame.Header h, byte[] body) {
        EpochFrame.verifyBody(h, body);
        if (committedEpoch >= 0 && h.epoch() != committedEpoch + 1) {
            throw new CorruptCheckpointException("epoch " + h.epoch() + " out of order (expected: " + (committedEpoch + 1) + ")");
        }
        DeviceStateBlob.verify(Arrays.copyOf(body, h.devStateLen()), h.devStateLen(), h.epoch(), "epoch " + h.epoch());
        checkRecords(h, body);
        try {
            Path tmp = dir.resolve("journal.tmp");
            ByteBuffer hdr = ByteBuffer.allocate(EpochFrame.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            hdr.putInt(EpochFrame.MAGIC).putShort(EpochFrame.VERSION).putShort((short) 0).putLong(h.epoch()).putLong(h.ramBytes())
                    .putInt(h.records()).putInt(h.devStateLen()).putInt(h.bodyLen()).putInt(h.crc());
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(new ByteBuffer[] {hdr.flip(), ByteBuffer.wrap(body, 0, h.bodyLen())});
            }
            Files.move(tmp, dir.resolve("journal"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HypervisorException("cannot journal epoch " + h.epoch() + " in " + dir + ": " + e.getMessage(), e);
        }
        applyCommitted(h, body);
    }

    /** Bounds every page record before anything is written (a frame with a bad record is refused whole). */
    private void checkRecords(EpochFrame.Header h, byte[] body) {
        int at = h.devStateLen();
        for (int i = 0; i < h.records(); i++) {
            if (at + 5 > h.bodyLen()) {
                throw new CorruptCheckpointException("epoch " + h.epoch() + " record " + i + " truncated at byte " + at + " of " + h.bodyLen());
            }
            int p = ByteBuffer.wrap(body, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (p < 0 || p >= ram.pages()) {
                throw new CorruptCheckpointException("epoch " + h.epoch() + " page index " + p + " (expected: 0-" + (ram.pages() - 1) + ")");
            }
            byte kind = body[at + 4];
            at += 5;
            if (kind == EpochFrame.KIND_RAW) {
                at += GuestRam.PAGE_SIZE;
            } else if (kind != EpochFrame.KIND_ZERO) {
                throw new CorruptCheckpointException("epoch " + h.epoch() + " page kind " + kind + " (expected: 0 or 1)");
            }
        }
        if (at != h.bodyLen()) {
            throw new CorruptCheckpointException("epoch " + h.epoch() + " records end at byte " + at + " (expected: " + h.bodyLen() + ")");
        }
    }

    private void applyCommitted(EpochFrame.Header h, byte[] body) {
        int at = h.devStateLen();
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < h.records(); i++) {
            int p = b.getInt(at);
            if (body[at + 4] == EpochFrame.KIND_RAW) {
                ram.writePage(p, body, at + 5);
                at += 5 + GuestRam.PAGE_SIZE;
            } else {
                ram.zeroPage(p);
                at += 5;
            }
        }
        ram.force();
        try {
            Path dev = devStatePath(h.epoch());
            Path tmp = dir.resolve("devstate.tmp");
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(body, 0, h.devStateLen()));
            }
            Files.move(tmp, dev, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Path ctmp = dir.resolve("committed.tmp");
            Files.writeString(ctmp, Long.toString(h.epoch()));
            Files.move(ctmp, dir.resolve("committed"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(dir.resolve("journal"));
            if (committedEpoch >= 0 && committedEpoch != h.epoch()) {
                // the RAM file now holds the new epoch: the old device state no longer pairs with it
                Files.deleteIfExists(devStatePath(committedEpoch));
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot commit epoch " + h.epoch() + " in " + dir + ": " + e.getMessage(), e);
        }
        committedEpoch = h.epoch();
        bytesApplied += h.bodyLen();
    }

    private Path devStatePath(long epoch) {
        return dir.resolve("devstate-" + epoch + ".svds");
    }

    /** The last committed (acknowledgeable) epoch, or -1. */
    public long committedEpoch() {
        return committedEpoch;
    }

    /** What promotion needs: the RAM file and the verified QEMU migration stream of the committed epoch. */
    public record Promotable(long epoch, Path ramFile, byte[] migrationStream) {
    }

    /**
     * Loads and re-verifies the committed epoch's device state.
     *
     * @throws CorruptCheckpointException when the stored blob is corrupted or truncated (nothing was committed
     *     → {@link HypervisorException})
     */
    public Promotable promotable() {
        if (committedEpoch < 0) {
            throw new HypervisorException("replica in " + dir + " has no committed epoch to promote");
        }
        try {
            byte[] blob = Files.readAllBytes(devStatePath(committedEpoch));
            DeviceStateBlob.verify(blob, blob.length, committedEpoch, "replica " + dir + " epoch " + committedEpoch);
            return new Promotable(committedEpoch, ramFile, Arrays.copyOfRange(blob, DeviceStateBlob.HEADER_BYTES, blob.length));
        } catch (IOException e) {
            throw new HypervisorException("cannot read device state of epoch " + committedEpoch + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path ramFile() {
        return ramFile;
    }

    public Path dir() {
        return dir;
    }

    public GuestRam ram() {
        return ram;
    }

    public long bytesApplied() {
        return bytesApplied;
    }

    /** Path of the stored device state of an epoch (tests corrupt it to check the refusal). */
    public Path devStateFile(long epoch) {
        return devStatePath(epoch);
    }

    @Override
    public void close() {
        ram.close();
    }

    /** Deletes the replica's files (the RAM file too). */
    public void delete() {
        try {
            Files.deleteIfExists(ramFile);
            if (Files.isDirectory(dir)) {
                try (var s = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) s::iterator) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot delete replica " + dir + ": " + e.getMessage(), e);
        }
    }
}
