package io.shadowvm.sync.codec;

import io.shadowvm.sync.region.MemoryRegion;
import java.nio.ByteBuffer;
import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Page identity: XXH64 (seed 0) of the 4 KiB page, and the whole-region digest (XXH64 over the big-endian
 * array of page hashes). Both sides of the wire compute these the same way (see docs/sync-protocol.md).
 */
public final class PageHashing {
    private static final XXHashFactory FACTORY = XXHashFactory.fastestInstance();
    private static final XXHash64 HASH = FACTORY.hash64();
    /** XXH64 of an all-zero page: the hash every page of a fresh (sparse) replica has. */
    public static final long ZERO_PAGE_HASH = HASH.hash(new byte[PageDelta.PAGE_SIZE], 0, PageDelta.PAGE_SIZE, 0);

    private PageHashing() {
    }

    public static long hash(byte[] page, int off) {
        return HASH.hash(page, off, PageDelta.PAGE_SIZE, 0);
    }

    /** Hashes a page in place (no copy), e.g. in a mapped guest RAM file. */
    public static long hash(MemoryRegion region, long page) {
        ByteBuffer b = region.pageBuffer(page);
        return HASH.hash(b, region.pageOffset(page), PageDelta.PAGE_SIZE, 0);
    }

    /** The whole-region digest of the given page hashes. Allocates a small buffer: not for per-page use. */
    public static long digest(long[] pageHashes) {
        byte[] buf = new byte[64 * 1024];
        ByteBuffer view = ByteBuffer.wrap(buf);
        try (StreamingXXHash64 s = FACTORY.newStreamingHash64(0)) {
            int i = 0;
            while (i < pageHashes.length) {
                view.clear();
                int n = Math.min(buf.length / 8, pageHashes.length - i);
                for (int k = 0; k < n; k++) {
                    view.putLong(pageHashes[i + k]);
                }
                s.update(buf, 0, n * 8);
                i += n;
            }
            return s.getValue();
        }
    }
}
