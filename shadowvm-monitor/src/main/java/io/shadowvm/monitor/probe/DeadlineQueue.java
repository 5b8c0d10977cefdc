package io.shadowvm.monitor.probe;

import java.util.Arrays;

/**
 * A binary min-heap of item indexes {@code 0..n-1} keyed by a {@code long} deadline, on primitive arrays;
 * every item is always in the queue exactly once. O(log n) to reschedule the earliest item.
 */
final class DeadlineQueue {
    private final int[] heap;
    private final int[] positionOf;
    private final long[] deadline;

    DeadlineQueue(long[] initialDeadlines) {
        int n = initialDeadlines.length;
        heap = new int[n];
        positionOf = new int[n];
        deadline = Arrays.copyOf(initialDeadlines, n);
        for (int i = 0; i < n; i++) {
            heap[i] = i;
            positionOf[i] = i;
        }
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    int size() {
        return heap.length;
    }

    /** The item with the earliest deadline; only valid when {@link #size()} > 0. */
    int peek() {
        return heap[0];
    }

    long peekDeadline() {
        return heap.length == 0 ? Long.MAX_VALUE : deadline[heap[0]];
    }

    long deadlineOf(int item) {
        return deadline[item];
    }

    void reschedule(int item, long newDeadline) {
        long old = deadline[item];
        deadline[item] = newDeadline;
        int pos = positionOf[item];
        if (newDeadline < old) {
            siftUp(pos);
        } else {
            siftDown(pos);
        }
    }

    private void siftUp(int pos) {
        int item = heap[pos];
        long d = deadline[item];
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            int p = heap[parent];
            if (deadline[p] <= d) {
                break;
            }
            heap[pos] = p;
            positionOf[p] = pos;
            pos = parent;
        }
        heap[pos] = item;
        positionOf[item] = pos;
    }

    private void siftDown(int pos) {
        int n = heap.length;
        int item = heap[pos];
        long d = deadline[item];
        while (true) {
            int child = 2 * pos + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && deadline[heap[child + 1]] < deadline[heap[child]]) {
                child++;
            }
            int c = heap[child];
            if (deadline[c] >= d) {
                break;
            }
            heap[pos] = c;
            positionOf[c] = pos;
            pos = child;
        }
        heap[pos] = item;
        positionOf[item] = pos;
    }
}
