package io.shadowvm.sync.sink;

import io.shadowvm.sync.AppliedEpoch;
import io.shadowvm.sync.SyncException;
import io.shadowvm.sync.codec.PageHashing;
import io.shadowvm.sync.region.MappedFileRegion;
import io.shadowvm.sync.region.MemoryRegion;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * The replica file plus its epoch bookkeeping, next to it:
 *
 * <pre>
 *  FILE                 the replica (same size as the source region)
 *  FILE.sync-meta       stream id, applied epoch, region size, critical blob length + CRC32C; CRC32C-sealed,
 *                       replaced atomically (write .tmp, rename)
 *  FILE.sync-critical   the applied epoch's critical-state blob (replaced atomically before the meta)
 *  FILE.sync-journal    the epoch being staged (redo journal, layout below)
 *
 *  journal  := header record* commit?
 *  header   := magic "SVMJ":u32  version:u32  epoch:u64  streamId:u64
 *  record   := 1:u8 page:u64 data[4096]        a page of the new epoch
 *            | 2:u8 length:u32 data[length]    the critical-state blob
 *  commit   := 3:u8 epoch:u64 pages:u64 crc32c:u32   (CRC of every journal byte before the crc field)
 * </pre>
 *
 * Apply order: journal + commit (forced when durable) → pages into the replica (forced when durable) →
 * critical file → meta → journal deleted. Opening the store redoes a committed journal whose epoch the meta
 * does not show yet, and discards an uncommitted one: the replica always holds a whole epoch. Owned by one
 * thread (the sink's event loop); readers use {@link #withConsistentReplica}.
 */
public final class ReplicaStore implements AutoCloseable {
    private static final int META_MAGIC = 0x53564D4D; // "SVMM"
    private static final int JOURNAL_MAGIC = 0x53564D4A; // "SVMJ"
    private static final int FORMAT = 1;
    private static final int META_BYTES = 48;
    private static final int PAGE = MemoryRegion.PAGE_SIZE;

    private final Path file;
    private final Path metaFile;
    private final Path criticalFile;
    private final Path journalFile;
    private final boolean durable;
    private final MappedFileRegion region;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private long streamId;
    private long appliedEpoch;
    private byte[] critical = new byte[0];
    private long[] pageHashes; // of the replica, computed on first use, kept current by apply

    // staging
    private FileChannel journal;
    private final ByteBuffer jbuf = ByteBuffer.allocateDirect(1 << 20);
    private final CRC32C jcrc = new CRC32C();
    private long stagingEpoch = -1;
    private long stagingStream;
    private long stagedPages;
    private long[] stagedIndex = new long[1024];
    private long[] stagedHash = new long[1024];
    /** Staged pages also kept in memory (up to 256 MiB) so the apply need not read the journal back. */
    private static final int MEM_CHUNK_PAGES = 256;
    private static final long MEM_LIMIT_PAGES = (256L << 20) / PAGE;
    private byte[][] memChunks = new byte[16][];
    private boolean inMemory;

    private ReplicaStore(Path file, long createBytes, boolean durable) {
        this.file = file;
        this.metaFile = sibling(file, ".sync-meta");
        this.criticalFile = sibling(file, ".sync-critical");
        this.journalFile = sibling(file, ".sync-journal");
        this.durable = durable;
        this.region = createBytes > 0 && !Files.exists(file)
            ? MappedFileRegion.openOrCreate(file, createBytes)
            : MappedFileRegion.open(file);
        if (createBytes > 0 && region.sizeBytes() != createBytes) {
            throw new SyncException("replica size mismatch: " + file + " has " + region.sizeBytes()
                + " bytes (expected: " + createBytes + ")");
        }
    }

    private static Path sibling(Path f, String suffix) {
        return f.resolveSibling(f.getFileName() + suffix);
    }

    /**
     * Opens (or creates, sparse, when {@code createBytes > 0} and the file is missing) a replica and recovers
     * it: a committed journal is rolled forward, an uncommitted one discarded.
     */
    public static ReplicaStore open(Path file, long createBytes, boolean durable) {
        ReplicaStore s = new ReplicaStore(file, createBytes, durable);
        try {
            s.loadMeta();
            s.recover();
        } catch (IOException e) {
            throw new SyncException("cannot open replica " + file + ": " + e.getMessage(), e);
        }
        return s;
    }

    public Path file() {
        return file;
    }

    public long sizeBytes() {
        return region.sizeBytes();
    }

    public long pageCount() {
        return region.pageCount();
    }

    public long streamId() {
        return streamId;
    }

    public long appliedEpoch() {
        return appliedEpoch;
    }

    public byte[] critical() {
        return critical.clone();
    }

    /** The replica region, for delta bases; only the owner thread may use it while an epoch is staged. */
    public MemoryRegion region() {
        return region;
    }

    /** Runs {@code reader} while no epoch is being applied: it sees one whole epoch. */
    public <T> T withConsistentReplica(Function<MemoryRegion, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(region);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** XXH64 of every replica page (computed once, then kept current). */
    public long[] pageHashes() {
        if (pageHashes == null) {
            long n = region.pageCount();
            long[] h = new long[(int) n];
            for (int p = 0; p < n; p++) {
                h[p] = PageHashing.hash(region, p);
            }
            pageHashes = h;
        }
        return pageHashes;
    }

    // ---------------------------------------------------------------- staging

    public void begin(long epoch, long stream) {
        abort();
        try {
            journal = FileChannel.open(journalFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new SyncException("cannot create journal " + journalFile + ": " + e.getMessage(), e);
        }
        jcrc.reset();
        jbuf.clear();
        stagingEpoch = epoch;
        stagingStream = stream;
        stagedPages = 0;
        inMemory = true;
        jbuf.putInt(JOURNAL_MAGIC).putInt(FORMAT).putLong(epoch).putLong(stream);
    }

    public boolean isStaging() {
        return stagingEpoch >= 0;
    }

    public void stagePage(long page, byte[] data, int off) {
        ensure(1 + 8 + PAGE);
        jbuf.put((byte) 1).putLong(page).put(data, off, PAGE);
        if (stagedPages == stagedIndex.length) {
            stagedIndex = Arrays.copyOf(stagedIndex, stagedIndex.length * 2);
            stagedHash = Arrays.copyOf(stagedHash, stagedHash.length * 2);
        }
        stagedIndex[(int) stagedPages] = page;
        stagedHash[(int) stagedPages] = pageHashes != null ? PageHashing.hash(data, off) : 0;
        if (inMemory && stagedPages < MEM_LIMIT_PAGES) {
            int c = (int) (stagedPages / MEM_CHUNK_PAGES);
            if (c == memChunks.length) {
                memChunks = Arrays.copyOf(memChunks, c * 2);
            }
            if (memChunks[c] == null) {
                memChunks[c] = new byte[MEM_CHUNK_PAGES * PAGE];
            }
            System.arraycopy(data, off, memChunks[c], (int) (stagedPages % MEM_CHUNK_PAGES) * PAGE, PAGE);
        } else {
            inMemory = false;
        }
        stagedPages++;
    }

    public long stagedPages() {
        return stagedPages;
    }

    /**
     * The whole-region digest the replica will have once the staged pages are applied (computes the replica's
     * page hashes first if needed).
     */
    public long stagedDigest() {
        if (pageHashes == null) {
            pageHashes();
            // hashes of pages staged before the table existed
            byte[] page = new byte[PAGE];
            // re-read them from the journal buffer is not possible once flushed; hash from the journal file instead
            rehashStagedFromJournal(page);
        }
        long[] copy = pageHashes.clone();
        for (int i = 0; i < stagedPages; i++) {
            copy[(int) stagedIndex[i]] = stagedHash[i];
        }
        return PageHashing.digest(copy);
    }

    private void rehashStagedFromJournal(byte[] page) {
        try {
            flushJournal();
            try (DataInputStream in = openJournal()) {
                for (int i = 0; i < stagedPages; i++) {
                    int tag = in.readByte();
                    if (tag != 1) {
                        throw new IllegalStateException("journal record " + i + " has tag " + tag);
                    }
                    in.readLong();
                    in.readFully(page);
                    stagedHash[i] = PageHashing.hash(page, 0);
                }
            }
        } catch (IOException e) {
            throw new SyncException("cannot read journal " + journalFile + ": " + e.getMessage(), e);
        }
    }

    /** Applies the staged epoch atomically (see the class comment) and returns it. */
    public AppliedEpoch commit(byte[] criticalBlob, long appliedAtMs) {
        long epoch = stagingEpoch;
        long stream = stagingStream;
        long pages = stagedPages;
        boolean fromMemory = inMemory;
        seal(criticalBlob);
        try {
            if (fromMemory) {
                applyFromMemory(epoch, stream, pages, criticalBlob);
            } else {
                redo(epoch, stream);
            }
        } catch (IOException e) {
            throw new SyncException("cannot apply epoch " + epoch + " from " + journalFile + ": " + e.getMessage(), e);
        }
        return new AppliedEpoch(stream, epoch, ByteBuffer.wrap(critical), pages, appliedAtMs);
    }

    /**
     * Writes the critical blob and the commit record: from here on the epoch survives a crash (it is rolled
     * forward on the next open). Package-private so a test can stop between sealing and applying.
     */
    void seal(byte[] criticalBlob) {
        if (stagingEpoch < 0) {
            throw new IllegalStateException("no epoch staged");
        }
        try {
            if (5 + criticalBlob.length > jbuf.capacity()) {
                ensure(5);
                jbuf.put((byte) 2).putInt(criticalBlob.length);
                flushJournal();
                ByteBuffer blob = ByteBuffer.wrap(criticalBlob);
                jcrc.update(blob.duplicate());
                while (blob.hasRemaining()) {
                    journal.write(blob);
                }
            } else {
                ensure(5 + criticalBlob.length);
                jbuf.put((byte) 2).putInt(criticalBlob.length).put(criticalBlob);
            }
            ensure(1 + 8 + 8 + 4);
            jbuf.put((byte) 3).putLong(stagingEpoch).putLong(stagedPages);
            flushJournal();
            ByteBuffer crc = ByteBuffer.allocate(4).putInt(0, (int) jcrc.getValue());
            while (crc.hasRemaining()) {
                journal.write(crc);
            }
            if (durable) {
                journal.force(true);
            }
            journal.close();
            journal = null;
            stagingEpoch = -1;
        } catch (IOException e) {
            throw new SyncException("cannot commit epoch " + stagingEpoch + " to " + journalFile + ": " + e.getMessage(), e);
        }
    }

    /** Drops the staged epoch (the replica keeps the previous one). */
    public void abort() {
        stagingEpoch = -1;
        stagedPages = 0;
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                // the journal is discarded below anyway
            }
            journal = null;
        }
        try {
            Files.deleteIfExists(journalFile);
        } catch (IOException e) {
            throw new SyncException("cannot delete journal " + journalFile + ": " + e.getMessage(), e);
        }
    }

    private void ensure(int bytes) {
        if (jbuf.remaining() < bytes) {
            try {
                flushJournal();
            } catch (IOException e) {
                throw new SyncException("cannot write journal " + journalFile + ": " + e.getMessage(), e);
            }
        }
    }

    private void flushJournal() throws IOException {
        jbuf.flip();
        jcrc.update(jbuf.duplicate());
        while (jbuf.hasRemaining()) {
            journal.write(jbuf);
        }
        jbuf.clear();
    }

    // ---------------------------------------------------------------- apply and recovery

    /** Applies a committed journal to the replica, then critical file and meta; deletes the journal. */
    private void redo(long epoch, long stream) throws IOException {
        byte[] blob;
        lock.writeLock().lock();
        try (DataInputStream m = openJournal()) {
            byte[] page = new byte[PAGE];
            blob = new byte[0];
            while (true) {
                int tag = m.readByte();
                if (tag == 1) {
                    long p = m.readLong();
                    m.readFully(page);
                    region.writePage(p, page, 0);
                    if (pageHashes != null) {
                        pageHashes[(int) p] = PageHashing.hash(page, 0);
                    }
                } else if (tag == 2) {
                    blob = new byte[m.readInt()];
                    m.readFully(blob);
                } else {
                    break;
                }
            }
            finishApply(epoch, stream, blob);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The same as {@link #redo} with the pages taken from memory (the journal is sealed already). */
    private void applyFromMemory(long epoch, long stream, long pages, byte[] blob) throws IOException {
        lock.writeLock().lock();
        try {
            for (int i = 0; i < pages; i++) {
                byte[] chunk = memChunks[i / MEM_CHUNK_PAGES];
                int off = (i % MEM_CHUNK_PAGES) * PAGE;
                long p = stagedIndex[i];
                region.writePage(p, chunk, off);
                if (pageHashes != null) {
                    pageHashes[(int) p] = PageHashing.hash(chunk, off);
                }
            }
            finishApply(epoch, stream, blob.clone());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** After the pages: flush, critical file, meta, journal deleted (caller holds the write lock). */
    private void finishApply(long epoch, long stream, byte[] blob) throws IOException {
        if (durable) {
            region.force();
        }
        writeAtomically(criticalFile, ByteBuffer.wrap(blob));
        CRC32C c = new CRC32C();
        c.update(blob);
        ByteBuffer meta = ByteBuffer.allocate(META_BYTES);
        meta.putInt(META_MAGIC).putInt(FORMAT).putLong(stream).putLong(epoch).putLong(region.sizeBytes())
            .putInt(blob.length).putInt((int) c.getValue());
        CRC32C mc = new CRC32C();
        mc.update(meta.array(), 0, 40);
        meta.putInt((int) mc.getValue()).putInt(0);
        meta.flip();
        writeAtomically(metaFile, meta);
        Files.deleteIfExists(journalFile);
        this.streamId = stream;
        this.appliedEpoch = epoch;
        this.critical = blob;
    }

    /** The journal positioned after its header. */
    private DataInputStream openJournal() throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(journalFile), 1 << 20));
        in.skipNBytes(24);
        return in;
    }

    private void writeAtomically(Path target, ByteBuffer data) throws IOException {
        Path tmp = sibling(target, ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            while (data.hasRemaining()) {
                ch.write(data);
            }
            if (durable) {
                ch.force(true);
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void loadMeta() throws IOException {
        if (!Files.exists(metaFile)) {
            return;
        }
        ByteBuffer m = ByteBuffer.wrap(Files.readAllBytes(metaFile));
        if (m.remaining() != META_BYTES || m.getInt(0) != META_MAGIC) {
            throw new SyncException("corrupted replica meta " + metaFile + ": " + m.remaining() + " bytes, bad magic or size");
        }
        CRC32C mc = new CRC32C();
        mc.update(m.array(), 0, 40);
        if (m.getInt(40) != (int) mc.getValue()) {
            throw new SyncException("corrupted replica meta " + metaFile + ": CRC32C mismatch");
        }
        int format = m.getInt(4);
        if (format != FORMAT) {
            throw new SyncException("unsupported replica meta format: " + format + " (expected: " + FORMAT + ")");
        }
        long size = m.getLong(24);
        if (size != region.sizeBytes()) {
            throw new SyncException("replica meta says " + size + " bytes but " + file + " has " + region.sizeBytes());
        }
        streamId = m.getLong(8);
        appliedEpoch = m.getLong(16);
        int blobLen = m.getInt(32);
        byte[] blob = Files.exists(criticalFile) ? Files.readAllBytes(criticalFile) : new byte[0];
        CRC32C c = new CRC32C();
        c.update(blob);
        if (blob.length != blobLen || (int) c.getValue() != m.getInt(36)) {
            throw new SyncException("replica critical blob " + criticalFile + " does not match its meta ("
                + blob.length + " bytes, expected " + blobLen + ")");
        }
        critical = blob;
    }

    private void recover() throws IOException {
        if (!Files.exists(journalFile)) {
            return;
        }
        long size = Files.size(journalFile);
        boolean committed = false;
        long epoch = -1;
        long stream = 0;
        if (size >= 24 + 21) {
            try (FileChannel ch = FileChannel.open(journalFile, StandardOpenOption.READ)) {
                ByteBuffer head = ByteBuffer.allocate(24);
                ch.read(head, 0);
                ByteBuffer tail = ByteBuffer.allocate(21);
                ch.read(tail, size - 21);
                if (head.getInt(0) == JOURNAL_MAGIC && head.getInt(4) == FORMAT
                    && tail.get(0) == 3 && tail.getLong(1) == head.getLong(8)) {
                    epoch = head.getLong(8);
                    stream = head.getLong(16);
                    CRC32C c = new CRC32C();
                    ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
                    long at = 0;
                    while (at < size - 4) {
                        chunk.clear().limit((int) Math.min(chunk.capacity(), size - 4 - at));
                        int n = ch.read(chunk, at);
                        if (n <= 0) {
                            break;
                        }
                        chunk.flip();
                        c.update(chunk);
                        at += n;
                    }
                    committed = at == size - 4 && (int) c.getValue() == tail.getInt(17);
                }
            }
        }
        if (committed && !(stream == streamId && epoch == appliedEpoch)) {
            redo(epoch, stream);
        } else {
            Files.deleteIfExists(journalFile);
        }
    }

    @Override
    public void close() {
        if (stagingEpoch >= 0) {
            abort(); // an unsealed epoch is discarded; a sealed one stays for the next open to roll forward
        }
        region.close();
    }
}
