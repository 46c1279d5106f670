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
    long checkpoints;
    long diskStalls;
    long aimedCrashes;
    long secondFaults;
    long midOutputCrashes;
    long forgeries;
    long clientRetries;
    /** Retried writes whose repeat reached the log and was answered from the timeline's memory. */
    long retriesAbsorbed;
    /** Writes that took effect twice: always a violation too. */
    long duplicates;
    long recoveries;
    long recordsLostInCrashes;

    void add(SimStats s) {
        messages += s.messages;
        writesAcked += s.writesAcked;
        writesContended += s.writesContended;
        writesRefused += s.writesRefused;
        readsDone += s.readsDone;
        readsUnavailable += s.readsUnavailable;
        clientTimeouts += s.clientTimeouts;
        crashes += s.crashes;
        diskLosses += s.diskLosses;
        partitions += s.partitions;
        checkpoints += s.checkpoints;
        diskStalls += s.diskStalls;
        aimedCrashes += s.aimedCrashes;
        secondFaults += s.secondFaults;
        midOutputCrashes += s.midOutputCrashes;
        forgeries += s.forgeries;
        clientRetries += s.clientRetries;
        retriesAbsorbed += s.retriesAbsorbed;
        duplicates += s.duplicates;
        recoveries += s.recoveries;
        recordsLostInCrashes += s.recordsLostInCrashes;
    }

    void count(boolean read, OpOutcome outcome) {
        switch (outcome) {
            case OpOutcome.ReadDone r -> readsDone++;
            case OpOutcome.ReadUnavailable r -> readsUnavailable++;
            case OpOutcome.Contended c -> writesContended++;
            case OpOutcome.NotReady n -> writesRefused++;
            case OpOutcome.Overloaded o -> writesRefused++;
            case OpOutcome.Invalid i -> writesRefused++;
            default -> writesAcked++;
        }
    }

    @Override
    public String toString() {
        return "writes acked " + writesAcked + ", contended " + writesContended + ", refused " + writesRefused
                + "; reads " + readsDone + ", unavailable " + readsUnavailable + "; timeouts " + clientTimeouts
                + "; messages " + messages + "; crashes " + crashes + " (disk losses " + diskLosses + "), partitions "
                + partitions + "; aimed crashes " + aimedCrashes + ", second faults " + secondFaults + ", mid-output crashes " + midOutputCrashes + ", forged messages " + forgeries + ", disk stalls "
                + diskStalls + ", checkpoints " + checkpoints + ", recoveries " + recoveries + ", unsynced records lost "
                + recordsLostInCrashes + "; client retries " + clientRetries + ", absorbed " + retriesAbsorbed
                + ", duplicates " + duplicates;
    }
}
