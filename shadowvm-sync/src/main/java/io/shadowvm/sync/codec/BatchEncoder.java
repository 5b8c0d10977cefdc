package io.shadowvm.sync.codec;

/**
 * Builds one page batch: per page {@code ZERO}, {@code DELTA} against the {@link PageCache} or {@code RAW},
 * then block compression of the whole batch when it pays. All buffers are allocated once.
 *
 * <pre>
 * batch    := compression:u8  reserved:u8  pageCount:u16  bodyLength:u32(uncompressed)  body
 * body     := entry*   (compressed as a whole unless compression = NONE)
 * entry    := kind:u8  page:uleb128  [ DELTA: length:uleb128 delta[length] | RAW: data[4096] | ZERO: - ]
 * </pre>
 *
 * Compression is adaptive: when a batch did not shrink by at least 1/32, it is sent uncompressed and the
 * next {@value #BACKOFF_BATCHES} batches skip the attempt (random data costs LZ4 time and saves nothing).
 */
public final class BatchEncoder implements AutoCloseable {
    public static final int HEADER_BYTES = 8;
    public static final int MAX_ENTRY_BYTES = 1 + 10 + 3 + PageDelta.PAGE_SIZE;
    static final int BACKOFF_BATCHES = 16;

    private final int maxPages;
    private final int deltaLimit;
    private final Compression compression;
    private final BlockCompressor compressor = new BlockCompressor();
    private final byte[] plain;
    private final byte[] out;
    private int plainLen;
    private int pages;
    private int outLen;
    private int skipCompression;

    // statistics since construction
    private long zeroPages;
    private long deltaPages;
    private long rawPages;
    private long unchangedPages;
    private long inputBytes;
    private long outputBytes;

    /**
     * @param maxPages pages per batch (1-65535)
     * @param deltaLimit the early-abort limit of a delta in bytes (a larger delta is sent {@code RAW})
     */
    public BatchEncoder(int maxPages, int deltaLimit, Compression compression) {
        if (maxPages < 1 || maxPages > 0xFFFF) {
            throw new IllegalArgumentException("invalid batch size: " + maxPages + " pages (expected: 1-65535)");
        }
        if (deltaLimit < 16 || deltaLimit > PageDelta.PAGE_SIZE) {
            throw new IllegalArgumentException("invalid delta limit: " + deltaLimit + " (expected: 16-4096)");
        }
        this.maxPages = maxPages;
        this.deltaLimit = deltaLimit;
        this.compression = compression;
        this.plain = new byte[maxPages * MAX_ENTRY_BYTES];
        this.out = new byte[HEADER_BYTES + BlockCompressor.maxCompressedLength(plain.length)];
    }

    public static int maxBodyBytes(int maxPages) {
        return maxPages * MAX_ENTRY_BYTES;
    }

    /**
     * Adds a page. With a cache, a page whose cached copy is identical is skipped (returns {@code null}),
     * and the cache ends holding the new version.
     *
     * @return the kind used, or {@code null} when the page was unchanged and nothing was added
     */
    public PageKind add(long page, byte[] data, int off, PageCache cache) {
        if (pages == maxPages) {
            throw new IllegalStateException("batch full: " + maxPages + " pages");
        }
        PageKind kind;
        int start = plainLen;
        int pos = start + 1;
        pos = putUleb(plain, pos, page);
        if (cache != null && cache.lookup(page)) {
            int lenPos = pos;
            int n = PageDelta.encode(cache.array(page), cache.offset(page), data, off, plain, lenPos + 2, deltaLimit);
            if (n == 0) {
                unchangedPages++;
                return null;
            }
            if (PageDelta.isZero(data, off)) {
                kind = PageKind.ZERO;
            } else if (n != PageDelta.TOO_BIG) {
                // the length prefix was reserved as 2 bytes; shift the delta when it needs 1 or 3
                int lenSize = PageDelta.ulebSize(n);
                if (lenSize != 2) {
                    System.arraycopy(plain, lenPos + 2, plain, lenPos + lenSize, n);
                }
                pos = PageDelta.putUleb(plain, lenPos, n) + n;
                kind = PageKind.DELTA;
            } else {
                kind = PageKind.RAW;
            }
        } else {
            kind = PageDelta.isZero(data, off) ? PageKind.ZERO : PageKind.RAW;
        }
        if (kind == PageKind.RAW) {
            System.arraycopy(data, off, plain, pos, PageDelta.PAGE_SIZE);
            pos += PageDelta.PAGE_SIZE;
            rawPages++;
        } else if (kind == PageKind.ZERO) {
            zeroPages++;
        } else {
            deltaPages++;
        }
        plain[start] = (byte) kind.wireId();
        if (cache != null) {
            cache.store(page, data, off);
        }
        plainLen = pos;
        pages++;
        inputBytes += PageDelta.PAGE_SIZE;
        return kind;
    }

    public boolean isFull() {
        return pages == maxPages;
    }

    public boolean isEmpty() {
        return pages == 0;
    }

    public int pageCount() {
        return pages;
    }

    /** Compresses (when it pays) and lays out the batch in {@link #output()}; then the encoder is empty. */
    public int finish() {
        Compression used = Compression.NONE;
        int bodyLen = plainLen;
        if (compression != Compression.NONE && plainLen > 0) {
            if (skipCompression > 0) {
                skipCompression--;
            } else {
                int n = compressor.compress(compression, plain, 0, plainLen, out, HEADER_BYTES);
                if (n < plainLen - (plainLen >>> 5)) {
                    used = compression;
                    bodyLen = n;
                } else {
                    skipCompression = BACKOFF_BATCHES;
                }
            }
        }
        if (used == Compression.NONE) {
            System.arraycopy(plain, 0, out, HEADER_BYTES, plainLen);
        }
        out[0] = (byte) used.wireId();
        out[1] = 0;
        out[2] = (byte) (pages >>> 8);
        out[3] = (byte) pages;
        out[4] = (byte) (plainLen >>> 24);
        out[5] = (byte) (plainLen >>> 16);
        out[6] = (byte) (plainLen >>> 8);
        out[7] = (byte) plainLen;
        outLen = HEADER_BYTES + bodyLen;
        outputBytes += outLen;
        plainLen = 0;
        pages = 0;
        return outLen;
    }

    public byte[] output() {
        return out;
    }

    public int outputLength() {
        return outLen;
    }

    public long zeroPages() {
        return zeroPages;
    }

    public long deltaPages() {
        return deltaPages;
    }

    public long rawPages() {
        return rawPages;
    }

    public long unchangedPages() {
        return unchangedPages;
    }

    /** Page bytes added (4096 per page that was not skipped). */
    public long inputBytes() {
        return inputBytes;
    }

    /** Batch bytes produced (headers included). */
    public long outputBytes() {
        return outputBytes;
    }

    private static int putUleb(byte[] b, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            b[pos++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        b[pos++] = (byte) v;
        return pos;
    }

    @Override
    public void close() {
        compressor.close();
    }
}
