package io.shadowvm.sync.codec;

import java.util.Arrays;

/**
 * A bounded, direct-mapped cache of the last-shipped version of pages (XBZRLE's cache): slot
 * {@code page mod slots} holds at most one page. The source's encoder deltas a dirty page against its slot
 * when the slot holds that page, then stores the new version. Single-threaded (owned by the encoder).
 */
public final class PageCache {
    private static final int SLOTS_PER_BLOCK_SHIFT = 8; // 256 pages = 1 MiB per array
    private final int slots;
    private final long[] tags;
    private final byte[][] blocks;
    private long hits;
    private long misses;

    /** A cache of {@code capacityBytes} rounded down to whole pages (at least one page). */
    public PageCache(long capacityBytes) {
        long n = Math.max(1, capacityBytes / PageDelta.PAGE_SIZE);
        if (n > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("invalid cache size: " + capacityBytes + " bytes (expected: <= 4 TiB)");
        }
        this.slots = (int) n;
        this.tags = new long[slots];
        Arrays.fill(tags, -1L);
        int blockCount = (slots + (1 << SLOTS_PER_BLOCK_SHIFT) - 1) >>> SLOTS_PER_BLOCK_SHIFT;
        this.blocks = new byte[blockCount][];
        for (int i = 0; i < blockCount; i++) {
            int inBlock = Math.min(1 << SLOTS_PER_BLOCK_SHIFT, slots - (i << SLOTS_PER_BLOCK_SHIFT));
            blocks[i] = new byte[inBlock * PageDelta.PAGE_SIZE];
        }
    }

    public int slot(long page) {
        return (int) Long.remainderUnsigned(page, slots);
    }

    /** True when the page's slot holds this page; counts a hit or a miss. */
    public boolean lookup(long page) {
        if (tags[slot(page)] == page) {
            hits++;
            return true;
        }
        misses++;
        return false;
    }

    /** The array holding {@code page}'s slot; see {@link #offset(long)}. */
    public byte[] array(long page) {
        return blocks[slot(page) >>> SLOTS_PER_BLOCK_SHIFT];
    }

    public int offset(long page) {
        return (slot(page) & ((1 << SLOTS_PER_BLOCK_SHIFT) - 1)) * PageDelta.PAGE_SIZE;
    }

    /** Stores the shipped version of {@code page}, evicting whatever the slot held. */
    public void store(long page, byte[] src, int srcOff) {
        int s = slot(page);
        tags[s] = page;
        System.arraycopy(src, srcOff, blocks[s >>> SLOTS_PER_BLOCK_SHIFT],
            (s & ((1 << SLOTS_PER_BLOCK_SHIFT) - 1)) * PageDelta.PAGE_SIZE, PageDelta.PAGE_SIZE);
    }

    /** Forgets {@code page} (its shipped version is no longer what the shadows hold). */
    public void invalidate(long page) {
        int s = slot(page);
        if (tags[s] == page) {
            tags[s] = -1;
        }
    }

    public void clear() {
        Arrays.fill(tags, -1L);
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    public long capacityBytes() {
        return (long) slots * PageDelta.PAGE_SIZE;
    }
}
