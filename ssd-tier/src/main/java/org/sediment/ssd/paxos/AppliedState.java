package org.sediment.ssd.paxos;

import java.util.Set;
import org.sediment.ssd.timeline.TimelineState;
import org.sediment.ssd.timeline.TimelineUpdate;

/**
 * Where a replica keeps what its log decided: per timeline, the items and the
 * {@link TimelineState}. It holds no rules: {@link TimelineMachine} decides what each entry does,
 * and an applied state stores exactly the {@link TimelineUpdate}s it is given, in order. The
 * simulator keeps them on the heap ({@link InMemoryAppliedState}), the node in LevelDB.
 */
public interface AppliedState {

    /** Version of the timeline: 0 before its first entry. */
    default long version(long timeline) {
        return state(timeline).version();
    }

    /** The timeline's state after every update written so far. */
    TimelineState state(long timeline);

    /** Stores an update the state machine produced for the timeline's current state. */
    void write(TimelineUpdate update);

    /** Newest-first read of at most {@code limit} items. */
    OpOutcome.ReadDone read(long timeline, int limit);

    TimelineSnapshot snapshot(long timeline);

    /** Timelines with at least one applied entry. */
    Set<Long> timelines();
}
