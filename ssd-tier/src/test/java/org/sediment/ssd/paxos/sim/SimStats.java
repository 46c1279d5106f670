package org.sediment.ssd.paxos.sim;

import org.sediment.ssd.paxos.OpOutcome;

/** Counters of one run, for the report line and the test's totals. */
final class SimStats {
    long messages;
    long writesAcked;
    long writesContended;
    long writesRefused;
    long readsDone;
    long readsUnavailable;
    long clientTimeouts;
    long crashes;
    long diskLosses;
    long partitions;

    void count(boolean read, OpOutcome outcome) {
        switch (outcome) {
            case OpOutcome.ReadDone r -> readsDone++;
            case OpOutcome.ReadUnavailable r -> readsUnavailable++;
            case OpOutcome.Contended c -> writesContended++;
            case OpOutcome.NotReady n -> writesRefused++;
            case OpOutcome.Overloaded o -> writesRefused++;
            default -> writesAcked++;
        }
    }

    @Override
    public String toString() {
        return "writes acked " + writesAcked + ", contended " + writesContended + ", refused " + writesRefused
                + "; reads " + readsDone + ", unavailable " + readsUnavailable + "; timeouts " + clientTimeouts
                + "; messages " + messages + "; crashes " + crashes + " (disk losses " + diskLosses + "), partitions "
                + partitions;
    }
}
