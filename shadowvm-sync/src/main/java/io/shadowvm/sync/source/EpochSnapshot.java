package io.shadowvm.sync.source;

import java.util.ArrayDeque;

/**
 * The pages of one epoch, copied out of the region while the guest was paused, so the guest can run while
 * they are encoded and shipped. Slots are 4 KiB pieces of 1 MiB arrays borrowed from a {@link Pool} and
 * returned when every job using the snapshot is done.
 */
final class EpochSnapshot {
    static final int SLOTS_PER_CHUNK_SHIFT = 8;
    static final int CHUNK_BYTES = (1 << SLOTS_PER_CHUNK_SHIFT) * 4096;

    /** Reused 1 MiB arrays, bounded in how many it keeps idle. */
    static final class Pool {
        private final ArrayDeque<byte[]> free = new ArrayDeque<>();
        private final int maxIdle;

        Pool(int maxIdle) {
            this.maxIdle = maxIdle;
        }

        byte[] take() {
            byte[] b = free.poll();
            return b != null ? b : new byte[CHUNK_BYTES];
        }

        void give(byte[] b) {
            if (free.size() < maxIdle) {
                free.push(b);
            }
        }
    }

    final long epoch;
    final long takenAtNs;
    final long takenAtMs;
    final byte[] critical;
    long digest;
    private final Pool pool;
    private byte[][] chunks = new byte[4][];
    private long[] pageOfSlot = new long[1024];
    private int slots;
    int[] dirtySlots = new int[0];
    int dirtyCount;
    int refs;

    EpochSnapshot(long epoch, long takenAtNs, long takenAtMs, byte[] critical, Pool pool) {
        this.epoch = epoch;
        this.takenAtNs = takenAtNs;
        this.takenAtMs = takenAtMs;
        this.critical = critical;
        this.pool = pool;
    }

    /** Reserves a slot for {@code page}; copy the page into {@link #array(int)} at {@link #offset(int)}. */
    int add(long page) {
        int s = slots++;
        if (s == pageOfSlot.length) {
            pageOfSlot = java.util.Arrays.copyOf(pageOfSlot, s * 2);
        }
        pageOfSlot[s] = page;
        int c = s >>> SLOTS_PER_CHUNK_SHIFT;
        if (c == chunks.length) {
            chunks = java.util.Arrays.copyOf(chunks, c * 2);
        }
        if (chunks[c] == null) {
            chunks[c] = pool.take();
        }
        return s;
    }

    /** Gives back the most recently added slot (its page turned out unchanged). */
    void dropLast() {
        slots--;
    }

    int slots() {
        return slots;
    }

    long page(int slot) {
        return pageOfSlot[slot];
    }

    byte[] array(int slot) {
        return chunks[slot >>> SLOTS_PER_CHUNK_SHIFT];
    }

    int offset(int slot) {
        return (slot & ((1 << SLOTS_PER_CHUNK_SHIFT) - 1)) << 12;
    }

    void release() {
        if (--refs == 0) {
            for (int i = 0; i < chunks.length; i++) {
                if (chunks[i] != null) {
                    pool.give(chunks[i]);
                    chunks[i] = null;
                }
            }
        }
    }
}
