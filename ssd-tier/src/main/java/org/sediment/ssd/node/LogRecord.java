package org.sediment.ssd.node;

import org.sediment.ssd.paxos.AcceptorRecord;
import org.sediment.ssd.paxos.StorageWrite;
import org.sediment.ssd.paxos.VotingFence;
import org.sediment.ssd.timeline.TimelineUpdate;

/**
 * One record of a node's group-commit log: the durable form of a {@code StorageWrite} of the
 * Paxos core. A restarted node rebuilds its acceptor state, ballot reservation and voting mode
 * from these, and re-applies {@link Applied} records the store's checkpoint does not cover.
 */
public sealed interface LogRecord {

    /** The record that makes a core's storage write durable: one each, in the core's order. */
    static LogRecord of(StorageWrite write) {
        return switch (write) {
            case StorageWrite.PersistAcceptor a -> new Acceptor(a.timeline(), a.entry(), a.record());
            case StorageWrite.PersistBallotCounter b -> new BallotCounter(b.reservedUpTo());
            case StorageWrite.ApplyChosen c -> new Applied(c.update());
            case StorageWrite.InstallSnapshot s -> new Applied(s.update());
            case StorageWrite.PersistVoting v -> new Voting(v.fence());
        };
    }

    /** The acceptor state of one entry. */
    record Acceptor(long timeline, long entry, AcceptorRecord record) implements LogRecord {
    }

    /** Ballot counters up to {@code reservedUpTo} may have been used. */
    record BallotCounter(long reservedUpTo) implements LogRecord {
    }

    /**
     * A chosen entry applied, or a snapshot installed: the exact row changes and the timeline
     * state afterwards, so replaying it is idempotent.
     */
    record Applied(TimelineUpdate update) implements LogRecord {
    }

    /** The node votes again, above the fence. */
    record Voting(VotingFence fence) implements LogRecord {
    }
}
