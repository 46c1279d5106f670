package org.sediment.ssd.timeline;

import java.util.List;
import org.sediment.ssd.timeline.RequestMemory.Remembered;

/**
 * What applying one chosen log entry (or installing a peer's snapshot) does to a timeline: its
 * row changes, in order, and what its state gains ({@link TimelineState#after}). Row changes
 * name exact keys or ranges (appends carry the seq decided at apply), so applying an update twice
 * leaves the same rows: replay after a crash is idempotent.
 *
 * <p>An entry's update {@linkplain TimelineState#after adds} to the state before it: the next
 * version, cold links and remembered requests. A snapshot's update {@code replacesState}: the
 * links and requests it carries are the whole state, and its changes start by deleting every row.
 * Either way {@code written} is the timeline's last write after the update ({@link TimelineState}).
 */
public record TimelineUpdate(long timeline, long version, List<RowChange> changes, List<byte[]> coldLinksAdded,
                             List<Remembered> requestsAdded, boolean replacesState, long written) {

    public TimelineUpdate {
        if (version < 1) {
            throw new IllegalArgumentException("an update's version must be ≥ 1, got " + version);
        }
        if (written < 0 || written > version) {
            throw new IllegalArgumentException("an update's written entry must be in [0, " + version + "], got " + written);
        }
        changes = List.copyOf(changes);
        coldLinksAdded = List.copyOf(coldLinksAdded);
        requestsAdded = List.copyOf(requestsAdded);
        for (RowChange change : changes) {
            if (change.owner() != timeline) {
                throw new IllegalArgumentException("a change of timeline " + Long.toUnsignedString(change.owner())
                        + " in an update of timeline " + Long.toUnsignedString(timeline));
            }
        }
    }

    /** An update that is a write at its own version. */
    public TimelineUpdate(long timeline, long version, List<RowChange> changes, List<byte[]> coldLinksAdded,
                          List<Remembered> requestsAdded, boolean replacesState) {
        this(timeline, version, changes, coldLinksAdded, requestsAdded, replacesState, version);
    }

    /** The update that makes a timeline exactly {@code state} with {@code rows}: deletes every row first. */
    public static TimelineUpdate replacing(long timeline, TimelineState state, List<RowChange.Put> rows) {
        List<RowChange> changes = new java.util.ArrayList<>(rows.size() + 1);
        changes.add(RowChange.DeleteOlderThan.all(timeline));
        changes.addAll(rows);
        return new TimelineUpdate(timeline, state.version(), changes, state.coldLinks(), state.requests().entries(), true,
                state.written());
    }
}
