package org.sediment.ssd.paxos.sim;

import org.sediment.ssd.paxos.OpOutcome;
import org.sediment.ssd.paxos.Operation;

/**
 * One client operation as the client saw it: invoked at {@code startMs}, answered at
 * {@code endMs} with {@code outcome}, or never answered ({@code outcome == null}, indeterminate).
 * {@code write == null} for reads.
 */
final class HistoryOp {
    final long timeline;
    final Operation write;
    final long startMs;
    long endMs = -1;
    OpOutcome outcome;

    HistoryOp(long timeline, Operation write, long startMs) {
        this.timeline = timeline;
        this.write = write;
        this.startMs = startMs;
    }

    boolean isRead() {
        return write == null;
    }

    @Override
    public String toString() {
        return (isRead() ? "read" : write.toString()) + "@tl" + timeline + " [" + startMs + ".." + endMs + "] -> "
                + (outcome instanceof OpOutcome.ReadDone r ? "read v" + r.version() : outcome);
    }
}
