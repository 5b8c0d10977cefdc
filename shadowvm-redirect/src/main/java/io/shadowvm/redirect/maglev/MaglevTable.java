package io.shadowvm.redirect.maglev;

import io.shadowvm.redirect.RedirectException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable weighted Maglev table. Every backend walks its own permutation of the slots
 * ({@code offset + j × skip mod M}, both from hashes of its name, so a backend's preferences do not depend on the
 * others); in each round a backend earns its normalized weight as credit and claims its next free preferred slot
 * for every whole credit. Slot counts are therefore proportional to weights within one slot, and a weight change
 * reshuffles only the slots whose claim order it changes.
 *
 * <p>Besides the hash lookup ({@link #lookup(long)}, for client-address affinity) the table carries a
 * low-discrepancy sequence ({@link #sequence(long)}) over the same slot counts: any run of n consecutive
 * positions gives each backend {@code n × share ± 2} picks. Data planes use it when no affinity is asked for,
 * so that even a few thousand new connections split exactly by weight.
 */
public final class MaglevTable {
    /** The default size: prime, and over 100× the backends for up to 655 backends. */
    public static final int DEFAULT_SIZE = 65_537;

    private final List<String> names;
    private final double[] weights;
    private final short[] slots;
    private final short[] sequence;
    private final int[] counts;

    private MaglevTable(List<String> names, double[] weights, short[] slots, short[] sequence, int[] counts) {
        this.names = names;
        this.weights = weights;
        this.slots = slots;
        this.sequence = sequence;
        this.counts = counts;
    }

    /** Builds a table of {@link #DEFAULT_SIZE} slots (or the next prime over 100× the backends when larger). */
    public static MaglevTable build(List<String> names, double[] weights) {
        int size = DEFAULT_SIZE;
        if (names.size() * 100L >= size) {
            size = nextPrime(names.size() * 128);
        }
        return build(names, weights, size);
    }

    public static MaglevTable build(List<String> names, double[] weights, int size) {
        int n = names.size();
        if (n == 0 || n > Short.MAX_VALUE) {
            throw new RedirectException("invalid backend count: " + n + " (expected: 1-" + Short.MAX_VALUE + ")");
        }
        if (weights.length != n) {
            throw new RedirectException("invalid weights: " + weights.length + " values for " + n + " backends");
        }
        if (!isPrime(size) || size < 100L * n) {
            throw new RedirectException("invalid table size: " + size + " (expected: a prime >= " + 100L * n + ")");
        }
        double max = 0;
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new RedirectException("invalid weight: " + w + " (expected: a finite number >= 0)");
            }
            max = Math.max(max, w);
            sum += w;
        }
        if (!(max > 0)) {
            throw new RedirectException("invalid weights: all zero (expected: at least one > 0)");
        }
        double[] normalized = new double[n];
        for (int i = 0; i < n; i++) {
            normalized[i] = weights[i] / sum;
        }

        long[] offset = new long[n];
        long[] skip = new long[n];
        for (int i = 0; i < n; i++) {
            byte[] b = names.get(i).getBytes(StandardCharsets.UTF_8);
            offset[i] = Long.remainderUnsigned(hash(b, 0x9E3779B97F4A7C15L), size);
            skip[i] = Long.remainderUnsigned(hash(b, 0xC2B2AE3D27D4EB4FL), size - 1) + 1;
        }
        short[] slots = new short[size];
        Arrays.fill(slots, (short) -1);
        long[] next = new long[n];
        double[] credit = new double[n];
        int[] counts = new int[n];
        int filled = 0;
        while (filled < size) {
            for (int i = 0; i < n && filled < size; i++) {
                credit[i] += weights[i] / max;
                while (credit[i] >= 1.0 - 1e-12 && filled < size) {
                    credit[i] -= 1.0;
                    int slot;
                    do {
                        slot = (int) ((offset[i] + next[i] * skip[i]) % size);
                        next[i]++;
                    } while (slots[slot] >= 0);
                    slots[slot] = (short) i;
                    counts[i]++;
                    filled++;
                }
            }
        }
        return new MaglevTable(List.copyOf(names), normalized, slots, smoothSequence(counts, size), counts);
    }

    /**
     * Smooth weighted round robin (as in nginx) over the slot counts: each step every backend gains its count,
     * the richest is picked and pays the total. Prefix counts stay within one pick of the ideal.
     */
    private static short[] smoothSequence(int[] counts, int size) {
        short[] seq = new short[size];
        long[] current = new long[counts.length];
        for (int k = 0; k < size; k++) {
            int best = -1;
            for (int i = 0; i < counts.length; i++) {
                current[i] += counts[i];
                if (counts[i] > 0 && (best < 0 || current[i] > current[best])) {
                    best = i;
                }
            }
            current[best] -= size;
            seq[k] = (short) best;
        }
        return seq;
    }

    /** The backend index for a flow key (e.g. a hash of the client address). */
    public int lookup(long key) {
        return slots[(int) Long.remainderUnsigned(mix(key), slots.length)];
    }

    /** The backend index at position {@code counter} of the low-discrepancy sequence. */
    public int sequence(long counter) {
        return sequence[(int) Long.remainderUnsigned(counter, sequence.length)];
    }

    /** The backend index that owns a slot. */
    public int slot(int slot) {
        return slots[slot];
    }

    public int size() {
        return slots.length;
    }

    public List<String> names() {
        return names;
    }

    /** The weight of backend {@code i}, normalized so that all sum to 1. */
    public double weight(int i) {
        return weights[i];
    }

    /** How many slots backend {@code i} owns. */
    public int slotCount(int i) {
        return counts[i];
    }

    public int indexOf(String name) {
        return names.indexOf(name);
    }

    /** A 64-bit hash of bytes (FNV-1a folded through a SplitMix64 finalizer). */
    public static long hash(byte[] bytes, long seed) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** SplitMix64's finalizer: spreads the bits of a key. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static boolean isPrime(long v) {
        if (v < 2) {
            return false;
        }
        for (long d = 2; d * d <= v; d++) {
            if (v % d == 0) {
                return false;
            }
        }
        return true;
    }

    static int nextPrime(int from) {
        int v = from;
        while (!isPrime(v)) {
            v++;
        }
        return v;
    }
}
