package org.sediment.ssd.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sediment.ssd.paxos.AcceptorRecord;
import org.sediment.ssd.paxos.VotingFence;

/**
 * A node's durable Paxos state besides the store's rows: whether it votes (and above which
 * fence), its ballot reservation, and the acceptor records of entries not yet applied. The core
 * thread keeps it current from the records it logs (the simulator too, for its checkpoints); a checkpoint writes a copy to
 * {@link DurableStateFile}, after which the log before that point is no longer needed.
 */
public final class DurableState {

    boolean voting;
    VotingFence fence = VotingFence.NONE;
    long ballotReservedUpTo;
    /** timeline → entry → record, only entries above the timeline's applied version. */
    final Map<Long, TreeMap<Long, AcceptorRecord>> acceptors = new HashMap<>();

    /** Folds one logged record in, as replay and the live node both do. */
    public void absorb(LogRecord record) {
        switch (record) {
            case LogRecord.Acceptor a -> acceptors.computeIfAbsent(a.timeline(), t -> new TreeMap<>())
                    .put(a.entry(), a.record());
            case LogRecord.BallotCounter b -> ballotReservedUpTo = Math.max(ballotReservedUpTo, b.reservedUpTo());
            case LogRecord.Voting v -> {
                voting = true;
                fence = v.fence();
            }
            case LogRecord.Applied applied -> {
                TreeMap<Long, AcceptorRecord> records = acceptors.get(applied.update().timeline());
                if (records != null) {
                    dropUpTo(records, applied.update().version());
                    if (records.isEmpty()) {
                        acceptors.remove(applied.update().timeline());
                    }
                }
            }
        }
    }

    private static void dropUpTo(TreeMap<Long, AcceptorRecord> records, long upTo) {
        while (!records.isEmpty() && records.firstKey() <= upTo) {
            records.remove(records.firstKey());
        }
    }

    /** The records that rebuild this state from nothing (the checkpoint file's body). */
    public List<LogRecord> asRecords() {
        List<LogRecord> records = new ArrayList<>();
        records.add(new LogRecord.BallotCounter(ballotReservedUpTo));
        if (voting) {
            records.add(new LogRecord.Voting(fence));
        }
        acceptors.forEach((timeline, byEntry) -> byEntry.forEach((entry, record) ->
                records.add(new LogRecord.Acceptor(timeline, entry, record))));
        return records;
    }

    public static DurableState of(List<LogRecord> records) {
        DurableState state = new DurableState();
        records.forEach(state::absorb);
        return state;
    }

    /** Acceptor records in the shape the core's {@code RecoveredState} takes. */
    Map<Long, Map<Long, AcceptorRecord>> acceptorRecords() {
        Map<Long, Map<Long, AcceptorRecord>> copy = new HashMap<>();
        acceptors.forEach((timeline, byEntry) -> copy.put(timeline, new HashMap<>(byEntry)));
        return copy;
    }
}
