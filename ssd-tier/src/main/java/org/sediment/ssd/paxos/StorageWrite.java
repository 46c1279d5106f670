package org.sediment.ssd.paxos;

/**
 * A write the core asks the node to make durable. Each carries a sequence number; the shell
 * reports durability with {@link PaxosReplica#onDurable(long)} (in order: writes become durable
 * as a prefix, which is what a group-committed log gives). Messages that depend on a write are
 * held inside the core until it is durable, so no promise or accept leaves before its record is
 * on disk; a crash loses every write not yet reported durable.
 */
public sealed interface StorageWrite {

    long seq();

    /** The acceptor state of one entry (promise and/or accepted value). */
    record PersistAcceptor(long seq, long timeline, long entry, AcceptorRecord record) implements StorageWrite {
    }

    /** Ballot counters up to {@code reservedUpTo} may have been used: a restart starts above it. */
    record PersistBallotCounter(long seq, long reservedUpTo) implements StorageWrite {
    }

    /**
     * Entry {@code entry} is chosen: apply it and set the timeline's committed index, atomically;
     * acceptor records up to it may be dropped (the log tail for catch-up keeps the value).
     */
    record ApplyChosen(long seq, long timeline, long entry, Proposal value) implements StorageWrite {
    }

    /** Replace the timeline's state by a peer's snapshot (catch-up past the trimmed log). */
    record InstallSnapshot(long seq, TimelineSnapshot snapshot) implements StorageWrite {
    }

    /**
     * Leave learner-only mode: from now on vote, but only above the fence (see {@link VotingFence}).
     */
    record PersistVoting(long seq, VotingFence fence) implements StorageWrite {
    }
}
