package io.shadowvm.sync.source;

import io.netty.channel.Channel;
import io.shadowvm.sync.EpochTicket;
import java.util.ArrayList;
import java.util.List;

/** One epoch to a set of shadows: the shared pass (target = null, all LIVE shadows) or one catch-up. */
final class ShipJob {
    final EpochSnapshot snap;
    final int[] slots;
    final int count;
    final ShadowSession catchUpFor;
    final List<Channel> targets = new ArrayList<>();
    EpochTicket ticket;
    int next;
    boolean begun;
    boolean finished;
    long pagesSent;
    int batches;
    long startNs;

    /** For a catch-up: the connection and base epoch it was made for (a reconnect makes a new job). */
    final Channel channel;
    final long base;

    ShipJob(EpochSnapshot snap, int[] slots, int count, ShadowSession catchUpFor) {
        this.snap = snap;
        this.slots = slots;
        this.count = count;
        this.catchUpFor = catchUpFor;
        this.channel = catchUpFor == null ? null : catchUpFor.channel;
        this.base = catchUpFor == null ? snap.epoch - 1 : catchUpFor.sinkApplied;
    }
}
