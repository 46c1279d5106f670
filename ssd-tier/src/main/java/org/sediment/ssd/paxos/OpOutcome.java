package org.sediment.ssd.paxos;

import java.util.List;

/**
 * What a client learns about one request. Writes: {@link Appended} / {@link Written} /
 * {@link VersionMismatch} are definite; {@link Contended} is <em>indeterminate</em> (the write
 * may still be chosen later, through another proposer adopting it); {@link NotReady} and
 * {@link Overloaded} are definite "not done". Reads: {@link ReadDone} or {@link ReadUnavailable}.
 */
public sealed interface OpOutcome {

    /** True when the client may retry knowing the operation certainly did not happen. */
    default boolean certainlyNotApplied() {
        return this instanceof NotReady || this instanceof Overloaded || this instanceof Invalid;
    }

    record Appended(int seq, long version) implements OpOutcome {
    }

    record Written(long version) implements OpOutcome {
    }

    /** The timeline was at {@code actualVersion}, not the required one; nothing changed. */
    record VersionMismatch(long expectedVersion, long actualVersion, long version) implements OpOutcome {
    }

    /** Gave up after the configured prepare rounds; the write may or may not be chosen. */
    record Contended(int prepareRounds, String reason) implements OpOutcome {
    }

    /** This replica is learner-only (recovering a lost disk) and takes no requests. */
    record NotReady(String reason) implements OpOutcome {
    }

    /** The operation cannot apply (see {@code TimelineMachine.invalidReason}); nothing changed. */
    record Invalid(String reason) implements OpOutcome {
    }

    /** The per-timeline queue is full. */
    record Overloaded(int queuedOps) implements OpOutcome {
    }

    /** A linearizable read: the newest {@code items} of the timeline at {@code version}. */
    record ReadDone(long version, List<Item> newestItems) implements OpOutcome {
        public ReadDone {
            newestItems = List.copyOf(newestItems);
        }
    }

    record ReadUnavailable(int attempts, String reason) implements OpOutcome {
    }
}
