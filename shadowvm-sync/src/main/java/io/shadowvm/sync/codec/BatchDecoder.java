package io.shadowvm.sync.codec;

/**
 * Decodes page batches written by {@link BatchEncoder}. Every count and length is checked against its
 * bound before use; any violation throws {@link CorruptPageException} and the caller discards the epoch.
 * Buffers are allocated once, sized for the largest batch this decoder accepts.
 */
public final class BatchDecoder implements AutoCloseable {
    /** Supplies the shadow's current copy of a page (the base of a delta). */
    @FunctionalInterface
    public interface BasePages {
        void readPage(long page, byte[] dst, int off);
    }

    /** Receives each decoded page (the full new contents). */
    @FunctionalInterface
    public interface PageConsumer {
        void accept(long page, byte[] data, int off);
    }

    private final int maxPages;
    private final long regionPages;
    private final BlockCompressor compressor = new BlockCompressor();
    private final byte[] plain;
    private final byte[] page = new byte[PageDelta.PAGE_SIZE];
    private final byte[] zero = new byte[PageDelta.PAGE_SIZE];

    public BatchDecoder(int maxPages, long regionPages) {
        this.maxPages = maxPages;
        this.regionPages = regionPages;
        this.plain = new byte[BatchEncoder.maxBodyBytes(maxPages)];
    }

    /** Decodes one batch; returns the number of pages it carried. */
    public int decode(byte[] batch, int off, int len, BasePages base, PageConsumer sink) {
        if (len < BatchEncoder.HEADER_BYTES) {
            throw new CorruptPageException("batch of " + len + " bytes is shorter than its header (8)");
        }
        Compression c = Compression.fromWireId(batch[off] & 0xFF);
        int count = ((batch[off + 2] & 0xFF) << 8) | (batch[off + 3] & 0xFF);
        long bodyLen = ((batch[off + 4] & 0xFFL) << 24) | ((batch[off + 5] & 0xFF) << 16)
            | ((batch[off + 6] & 0xFF) << 8) | (batch[off + 7] & 0xFF);
        if (count > maxPages) {
            throw new CorruptPageException("batch page count " + count + " (expected: 0-" + maxPages + ")");
        }
        if (bodyLen > (long) count * BatchEncoder.MAX_ENTRY_BYTES) {
            throw new CorruptPageException("batch body length " + bodyLen + " (expected: 0-"
                + (long) count * BatchEncoder.MAX_ENTRY_BYTES + " for " + count + " pages)");
        }
        int n = (int) bodyLen;
        compressor.decompress(c, batch, off + BatchEncoder.HEADER_BYTES, len - BatchEncoder.HEADER_BYTES, plain, 0, n);
        int pos = 0;
        for (int i = 0; i < count; i++) {
            if (pos >= n) {
                throw new CorruptPageException("batch body ends after " + i + " of " + count + " pages");
            }
            int kind = plain[pos++] & 0xFF;
            long p = 0;
            int shift = 0;
            int b;
            do {
                if (pos >= n || shift > 63) {
                    throw new CorruptPageException("malformed page index in entry " + i);
                }
                b = plain[pos++];
                p |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            if (p < 0 || p >= regionPages) {
                throw new CorruptPageException("page index " + p + " (expected: 0-" + (regionPages - 1) + ")");
            }
            if (kind == PageKind.ZERO.wireId()) {
                sink.accept(p, zero, 0);
            } else if (kind == PageKind.RAW.wireId()) {
                if (pos + PageDelta.PAGE_SIZE > n) {
                    throw new CorruptPageException("raw page " + p + " runs past the batch body");
                }
                sink.accept(p, plain, pos);
                pos += PageDelta.PAGE_SIZE;
            } else if (kind == PageKind.DELTA.wireId()) {
                int dl = 0;
                shift = 0;
                do {
                    if (pos >= n || shift > 14) {
                        throw new CorruptPageException("malformed delta length in entry " + i);
                    }
                    b = plain[pos++];
                    dl |= (b & 0x7F) << shift;
                    shift += 7;
                } while ((b & 0x80) != 0);
                if (dl > PageDelta.PAGE_SIZE || pos + dl > n) {
                    throw new CorruptPageException("delta length " + dl + " of page " + p
                        + " (expected: <= " + Math.min(PageDelta.PAGE_SIZE, n - pos) + ")");
                }
                base.readPage(p, page, 0);
                PageDelta.decode(plain, pos, dl, page, 0);
                sink.accept(p, page, 0);
                pos += dl;
            } else {
                throw new CorruptPageException("unknown page kind " + kind + " in entry " + i + " (expected: 1-3)");
            }
        }
        if (pos != n) {
            throw new CorruptPageException("batch body has " + (n - pos) + " trailing bytes after " + count + " pages");
        }
        return count;
    }

    @Override
    public void close() {
        compressor.close();
    }
}
