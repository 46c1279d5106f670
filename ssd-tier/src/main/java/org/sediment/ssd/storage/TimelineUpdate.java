package org.sediment.ssd.storage;

import java.util.List;

/**
 * What applying one chosen log entry does to the store: its row changes, and the timeline's
 * applied index, which becomes {@code appliedIndex}.
 */
public record TimelineUpdate(long timeline, long appliedIndex, List<RowChange> changes) {

    public TimelineUpdate {
        changes = List.copyOf(changes);
        for (RowChange change : changes) {
            if (change.key().owner() != timeline) {
                throw new IllegalArgumentException("change to " + change.key() + " in an update of timeline "
                        + Long.toUnsignedString(timeline));
            }
        }
    }
}
