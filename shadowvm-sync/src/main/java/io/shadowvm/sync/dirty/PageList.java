package io.shadowvm.sync.dirty;

import java.util.Arrays;

/** A growable list of page indices, reused across epochs (cleared, never shrunk). Single-threaded. */
public final class PageList {
    private long[] pages = new long[1024];
    private int size;

    public void add(long page) {
        if (size == pages.length) {
            pages = Arrays.copyOf(pages, size << 1);
        }
        pages[size++] = page;
    }

    public long get(int i) {
        return pages[i];
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }
}
