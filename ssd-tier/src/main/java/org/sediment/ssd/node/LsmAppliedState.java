package org.sediment.ssd.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sediment.ssd.paxos.AppliedState;
import org.sediment.ssd.paxos.Item;
import org.sediment.ssd.paxos.OpOutcome;
import org.sediment.ssd.paxos.TimelineSnapshot;
import org.sediment.ssd.storage.SegmentedStore;
import org.sediment.ssd.storage.StoredItem;
import org.sediment.ssd.timeline.TimelineState;
import org.sediment.ssd.timeline.TimelineUpdate;
import org.sediment.ssd.version.VersionCache;

/**
 * The Paxos core's applied state on the node's {@link SegmentedStore}: it stores the
 * {@link TimelineUpdate}s the core's {@link org.sediment.ssd.paxos.TimelineMachine} produced. The
 * same update is the entry's log record ({@code StorageWrite.ApplyChosen}), and the log, not the
 * store, is what makes it durable.
 *
 * <p>The core applies many entries per turn of its loop, so their rows reach the store together,
 * in one batch per segment, when the core calls {@link #flush()} (one LevelDB write and one value
 * log write instead of one each per entry: the system calls were a third of the core's CPU).
 * Until then only the core sees them: every method here that reads the store flushes first, and
 * the node's request threads, which read the store directly, see the rows and the version they
 * belong to appear together. The core flushes before it acts on any durable log record, so
 * nothing is acknowledged before its rows are readable.
 *
 * <p>Versions are read from the updates not yet flushed, then the store's states in memory,
 * then the {@link VersionCache}, then the store's checkpoint. The cache only learns a version
 * once the log record that produced it is durable ({@link #versionDurable}), so after a crash it
 * is never ahead of what the node recovers, and it survives a process restart.
 * *
 * <p>The core's thread only (or its recovery before the core starts).
 */
public final class LsmAppliedState implements AppliedState {

    /** A turn that applies more than this writes as it goes: batches stay a bounded size. */
    static final int FLUSH_AT_UPDATES = 512;

    private final SegmentedStore store;
    private final VersionCache versions;
    /** Applied, in order, and not yet written to the store; and each one's timeline's newest state. */
    private final List<TimelineUpdate> unwritten = new ArrayList<>();
    private final Map<Long, TimelineState> unwrittenStates = new HashMap<>();

    public LsmAppliedState(SegmentedStore store, VersionCache versions) {
        this.store = store;
        this.versions = versions;
    }

    @Override
    public long version(long timeline) {
        TimelineState unflushed = unwrittenStates.get(timeline);
        if (unflushed != null) {
            return unflushed.version();
        }
        TimelineState known = store.knownState(timeline);
        if (known != null) {
            return known.version();
        }
        long cached = versions.get(timeline);
        return cached != VersionCache.MISSING ? cached : store.checkpointedIndex(timeline);
    }

    /**
     * The log record that brought {@code timeline} to {@code version} is durable. The cache then
     * holds either nothing or the current version of a timeline, because every apply
     * invalidates it and only a current, durable version is put back.
     */
    public void versionDurable(long timeline, long version) {
        if (state(timeline).version() == version) {
            versions.put(timeline, version);
        }
    }

    @Override
    public TimelineState state(long timeline) {
        TimelineState unflushed = unwrittenStates.get(timeline);
        return unflushed != null ? unflushed : store.state(timeline);
    }

    @Override
    public void write(TimelineUpdate update) {
        TimelineState after = state(update.timeline()).after(update);
        versions.invalidate(update.timeline());
        unwritten.add(update);
        unwrittenStates.put(update.timeline(), after);
        if (unwritten.size() >= FLUSH_AT_UPDATES) {
            flush();
        }
    }

    @Override
    public OpOutcome.ReadDone read(long timeline, int limit) {
        flush();
        long version = version(timeline); // before the rows: a page is never older than its version
        if (limit == 0) {
            return new OpOutcome.ReadDone(version, List.of());
        }
        List<Item> items = new ArrayList<>();
        for (StoredItem stored : store.page(timeline, null, limit)) {
            items.add(new Item(stored.key().ts(), stored.key().seq(), stored.value()));
        }
        return new OpOutcome.ReadDone(version, items);
    }

    @Override
    public TimelineSnapshot snapshot(long timeline) {
        flush();
        List<Item> items = new ArrayList<>();
        store.scan(timeline, null, stored -> items.add(new Item(stored.key().ts(), stored.key().seq(), stored.value())));
        return new TimelineSnapshot(timeline, store.state(timeline), items);
    }

    @Override
    public Set<Long> timelines() {
        flush();
        return store.timelines();
    }

    /**
     * The timelines the store holds, from any thread: a scan of its checkpointed states. Those the
     * core applied but has not flushed yet may be missing (the core knows them itself).
     */
    public Set<Long> storedTimelines() {
        return store.timelines();
    }

    /**
     * Writes the updates applied since the last flush to the store, in one batch per segment. The
     * core calls it at the end of each turn of its loop, before it handles newly durable records.
     */
    public void flush() {
        if (unwritten.isEmpty()) {
            return;
        }
        store.apply(unwritten);
        unwritten.clear();
        unwrittenStates.clear();
    }
}
