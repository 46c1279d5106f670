package org.sediment.ssd.paxos;

import java.util.List;
import java.util.Set;

/**
 * The state machine the log is applied to: per timeline, its items and its version (the index of
 * the last applied entry). The simulator and benchmark use {@link InMemoryAppliedState}; the node
 * will put LevelDB behind the same interface, writing each entry's row changes and the new
 * version in one atomic batch. Implementations must be deterministic: every replica applying
 * the same entry to the same state computes the same outcomes.
 */
public interface AppliedState {

    /** Version of the timeline: 0 before its first entry. */
    long version(long timeline);

    /**
     * Applies entry {@code version(timeline) + 1}. Returns one outcome per operation of the
     * proposal, in order.
     */
    List<OpOutcome> apply(long timeline, long entry, Proposal proposal);

    /** Newest-first read of at most {@code limit} items. */
    OpOutcome.ReadDone read(long timeline, int limit);

    TimelineSnapshot snapshot(long timeline);

    void install(TimelineSnapshot snapshot);

    /** Timelines with at least one applied entry. */
    Set<Long> timelines();

    /** Independent copy (the simulator keeps a durable copy per replica). */
    AppliedState copy();
}
