package io.shadowvm.hypervisor.checkpoint;

/** Hashes all pages in the pause and reports those whose hash changed. The first collect reports every page. */
public final class HashScanTracker implements PageTracker {
    private final GuestRam ram;
    private final long[] hashes;
    private boolean first = true;

    public HashScanTracker(GuestRam ram) {
        this.ram = ram;
        this.hashes = new long[ram.pages()];
    }

    @Override
    public int collectInPause(long[] dirty) {
        int n = 0;
        for (int p = 0; p < hashes.length; p++) {
            long h = ram.hashPage(p);
            if (first || h != hashes[p]) {
                hashes[p] = h;
                PageTracker.mark(dirty, p);
                n++;
            }
        }
        first = false;
        return n;
    }

    @Override
    public void rearmInPause() {
        // the hashes were updated while collecting
    }

    @Override
    public GuestRam pageSource() {
        return ram;
    }
}
