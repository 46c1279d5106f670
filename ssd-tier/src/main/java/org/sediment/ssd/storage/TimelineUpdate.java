package org.sediment.ssd.storage;

import java.util.List;

/**
 * What applying one chosen log entry (or installing a peer's snapshot) does to the store: its
 * row changes, and the timeline's state afterwards. Row changes name exact keys (appends carry
 * the seq decided at apply), so applying an update twice leaves the same rows: replay after a
 * crash is idempotent.
 */
public record TimelineUpdate(long timeline, TimelineState state, List<RowChange> changes) {

    public TimelineUpdate {
        changes = List.copyOf(changes);
        for (RowChange change : changes) {
            if (change.key().owner() != timeline) {
                throw new IllegalArgumentException("change to " + change.key() + " in an update of timeline "
                        + Long.toUnsignedString(timeline));
            }
        }
    }

    public long version() {
        return state.version();
    }
}
