package org.sediment.ssd.paxos;

import org.sediment.ssd.timeline.TimelineUpdate;

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
     * Chosen entry {@code value} was applied: {@code update} is exactly what {@link TimelineMachine}
     * made of it, for the store to carry out; acceptor records up to it may be dropped (the log
     * tail for catch-up keeps the value).
     */
    record ApplyChosen(long seq, Proposal value, TimelineUpdate update) implements StorageWrite {
        public long timeline() {
            return update.timeline();
        }

        public long entry() {
            return update.version();
        }
    }

    /** A peer's snapshot replaced the timeline (catch-up past the trimmed log): {@code update} replaces it. */
    record InstallSnapshot(long seq, TimelineUpdate update) implements StorageWrite {
    }

    /**
     * Leave learner-only mode: from now on vote, but only above the fence (see {@link VotingFence}).
     */
    record PersistVoting(long seq, VotingFence fence) implements StorageWrite {
    }
}
