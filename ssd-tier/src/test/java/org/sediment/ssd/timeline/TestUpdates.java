package org.sediment.ssd.timeline;

import java.util.List;

/** Updates for store tests that set rows and a version directly, without a state machine. */
public final class TestUpdates {

    private TestUpdates() {
    }

    /** Sets {@code timeline}'s state to a bare {@code version} (no links, no requests) and makes {@code changes}. */
    public static TimelineUpdate at(long timeline, long version, List<? extends RowChange> changes) {
        return new TimelineUpdate(timeline, version, List.copyOf(changes), List.of(), List.of(), true);
    }

    /** Makes {@code changes} and leaves the state as it is: how a disk's silent corruption looks. */
    public static TimelineUpdate keeping(long timeline, TimelineState state, List<? extends RowChange> changes) {
        return new TimelineUpdate(timeline, state.version(), List.copyOf(changes), state.coldLinks(),
                state.requests().entries(), true);
    }
}
