package org.sediment.ssd.paxos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.sediment.ssd.timeline.RowChange;
import org.sediment.ssd.timeline.TimelineState;
import org.sediment.ssd.timeline.TimelineUpdate;

/**
 * {@link AppliedState} on heap maps, for the simulator, tests and the core benchmark: it stores
 * the updates it is given exactly as the node's LevelDB store does (rows in key order, newest
 * first; changes in order; a range delete removes what is there at that point).
 */
public final class InMemoryAppliedState implements AppliedState {

    /** Newest first: ts descending, then seq descending (the on-disk key order). */
    private static final Comparator<long[]> NEWEST_FIRST =
            Comparator.<long[]>comparingLong(k -> -k[0]).thenComparingLong(k -> -Integer.toUnsignedLong((int) k[1]));

    private static final class Timeline {
        TimelineState state = TimelineState.EMPTY;
        final TreeMap<long[], byte[]> items = new TreeMap<>(NEWEST_FIRST);
    }

    private final Map<Long, Timeline> timelines = new HashMap<>();

    @Override
    public TimelineState state(long timeline) {
        Timeline t = timelines.get(timeline);
        return t == null ? TimelineState.EMPTY : t.state;
    }

    @Override
    public void write(TimelineUpdate update) {
        Timeline t = timelines.computeIfAbsent(update.timeline(), k -> new Timeline());
        TimelineState after = t.state.after(update);
        writeRows(update);
        t.state = after;
    }

    /**
     * Makes the update's row changes and leaves the state as it was: what a crash can leave of an
     * update whose rows reached the disk while the state that names them was never synced (the
     * simulator's crashes do this; a store's rows may run ahead of its checkpointed state).
     */
    public void writeRows(TimelineUpdate update) {
        Timeline t = timelines.computeIfAbsent(update.timeline(), k -> new Timeline());
        for (RowChange change : update.changes()) {
            switch (change) {
                case RowChange.Put p -> t.items.put(new long[] {p.key().ts(), p.key().seq()}, p.value());
                case RowChange.Delete d -> t.items.remove(new long[] {d.key().ts(), d.key().seq()});
                // Keys sort newest first: everything from (beforeTs - 1, newest seq) on is older.
                case RowChange.DeleteOlderThan d ->
                        t.items.tailMap(new long[] {d.beforeTs() - 1, -1}, true).clear();
            }
        }
    }

    @Override
    public OpOutcome.ReadDone read(long timeline, int limit) {
        Timeline t = timelines.get(timeline);
        if (t == null) {
            return new OpOutcome.ReadDone(0, List.of());
        }
        List<Item> newest = new ArrayList<>(Math.min(limit, t.items.size()));
        for (Map.Entry<long[], byte[]> e : t.items.entrySet()) {
            if (newest.size() == limit) {
                break;
            }
            newest.add(new Item(e.getKey()[0], (int) e.getKey()[1], e.getValue()));
        }
        return new OpOutcome.ReadDone(t.state.version(), newest);
    }

    @Override
    public TimelineSnapshot snapshot(long timeline) {
        return new TimelineSnapshot(timeline, state(timeline), read(timeline, Integer.MAX_VALUE).newestItems());
    }

    @Override
    public Set<Long> timelines() {
        Set<Long> applied = new HashSet<>();
        timelines.forEach((id, t) -> {
            if (t.state.version() > 0) {
                applied.add(id);
            }
        });
        return applied;
    }

    /** An independent copy. */
    public InMemoryAppliedState copy() {
        InMemoryAppliedState copy = new InMemoryAppliedState();
        for (long id : timelines()) {
            copy.write(TimelineMachine.install(snapshot(id)));
        }
        return copy;
    }
}
