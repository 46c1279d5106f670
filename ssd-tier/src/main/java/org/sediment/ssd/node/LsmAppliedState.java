package org.sediment.ssd.node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sediment.common.key.ItemKey;
import org.sediment.ssd.paxos.AppliedState;
import org.sediment.ssd.paxos.Item;
import org.sediment.ssd.paxos.OpOutcome;
import org.sediment.ssd.paxos.Operation;
import org.sediment.ssd.paxos.Proposal;
import org.sediment.ssd.paxos.TimelineSnapshot;
import org.sediment.ssd.storage.RowChange;
import org.sediment.ssd.storage.SegmentedStore;
import org.sediment.ssd.storage.StoredItem;
import org.sediment.ssd.storage.TimelineState;
import org.sediment.ssd.storage.TimelineUpdate;
import org.sediment.ssd.version.VersionCache;

/**
 * The Paxos core's applied state on the node's {@link SegmentedStore}. Applying an entry turns its
 * operations into exact row changes; the same {@link TimelineUpdate} is queued for the node to
 * log ({@link #takeUnlogged()}), and the log, not the store, is what makes it durable.
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
 *
 * <p>Append seqs are derived from the entry and the operation's position in it, not from what
 * the store holds: re-applying an entry after a crash (its rows may already be on disk while its
 * state was not) then writes the same keys again instead of new ones.
 *
 * <p>The core's thread only (or its recovery before the core starts).
 */
public final class LsmAppliedState implements AppliedState {

    /** Operations per entry are numbered in the low bits of an append's seq. */
    static final int OP_INDEX_BITS = 6;
    public static final int MAX_OPS_PER_ENTRY = 1 << OP_INDEX_BITS;
    /** A turn that applies more than this writes as it goes: batches stay a bounded size. */
    static final int FLUSH_AT_UPDATES = 512;

    private final SegmentedStore store;
    private final VersionCache versions;
    private final ArrayDeque<TimelineUpdate> unlogged = new ArrayDeque<>();
    /** Applied, in order, and not yet written to the store; and each one's timeline's newest state. */
    private final List<TimelineUpdate> unwritten = new ArrayList<>();
    private final Map<Long, TimelineState> unwrittenStates = new HashMap<>();

    public LsmAppliedState(SegmentedStore store, VersionCache versions) {
        this.store = store;
        this.versions = versions;
    }

    /**
     * The seq of the {@code index}-th operation of entry {@code entry} when it appends. Unsigned,
     * increasing with the entry, so later appends at the same ts sort newer; it wraps only after
     * 2^26 entries of one timeline at a single millisecond.
     */
    public static int appendSeq(long entry, int index) {
        return (int) ((entry << OP_INDEX_BITS) | index);
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
    public List<OpOutcome> apply(long timeline, long entry, Proposal proposal) {
        if (proposal.ops().size() > MAX_OPS_PER_ENTRY) {
            throw new IllegalStateException("entry " + entry + " holds " + proposal.ops().size()
                    + " operations; at most " + MAX_OPS_PER_ENTRY + " fit the append seq");
        }
        TimelineState before = state(timeline);
        if (entry != before.version() + 1) {
            throw new IllegalStateException("timeline " + Long.toUnsignedString(timeline) + " at version "
                    + before.version() + " cannot apply entry " + entry);
        }
        TimelineState after = before.withVersion(entry);
        List<RowChange> changes = new ArrayList<>();
        List<OpOutcome> outcomes = new ArrayList<>(proposal.ops().size());
        for (int i = 0; i < proposal.ops().size(); i++) {
            Operation op = proposal.ops().get(i);
            if (op.conditional() && op.ifVersion() != before.version()) {
                outcomes.add(new OpOutcome.VersionMismatch(op.ifVersion(), before.version(), entry));
                continue;
            }
            switch (op) {
                case Operation.Append a -> {
                    int seq = appendSeq(entry, i);
                    changes.add(new RowChange.Put(new ItemKey(timeline, a.ts(), seq), a.value()));
                    outcomes.add(new OpOutcome.Appended(seq, entry));
                }
                case Operation.Put p -> {
                    changes.add(new RowChange.Put(new ItemKey(timeline, p.ts(), p.seq()), p.value()));
                    outcomes.add(new OpOutcome.Written(entry));
                }
                case Operation.Delete d -> {
                    changes.add(new RowChange.Delete(new ItemKey(timeline, d.ts(), d.seq())));
                    outcomes.add(new OpOutcome.Written(entry));
                }
                case Operation.CommitColdLink c -> {
                    // Items older than the boundary are served through the link from now on.
                    changes.removeIf(change -> change.key().ts() < c.coldBeforeTs());
                    for (ItemKey key : keysOlderThan(timeline, c.coldBeforeTs())) {
                        changes.add(new RowChange.Delete(key));
                    }
                    after = after.withColdLink(entry, c.link());
                    outcomes.add(new OpOutcome.Written(entry));
                }
            }
        }
        write(new TimelineUpdate(timeline, after, changes));
        return outcomes;
    }

    @Override
    public OpOutcome.ReadDone read(long timeline, int limit) {
        flush();
        long version = version(timeline); // before the rows: a page is never older than its version
        List<Item> items = new ArrayList<>();
        for (StoredItem stored : store.page(timeline, null, limit)) {
            items.add(new Item(stored.key().ts(), stored.key().seq(), stored.value()));
        }
        return new OpOutcome.ReadDone(version, items);
    }

    @Override
    public TimelineSnapshot snapshot(long timeline) {
        flush();
        TimelineState state = store.state(timeline);
        List<Item> items = new ArrayList<>();
        store.scan(timeline, null, stored -> items.add(new Item(stored.key().ts(), stored.key().seq(), stored.value())));
        return new TimelineSnapshot(timeline, state.version(), items, state.coldLinks());
    }

    @Override
    public void install(TimelineSnapshot snapshot) {
        long timeline = snapshot.timeline();
        if (snapshot.version() <= version(timeline)) {
            throw new IllegalStateException("snapshot at " + snapshot.version() + " is not ahead of "
                    + version(timeline));
        }
        List<RowChange> changes = new ArrayList<>();
        for (ItemKey key : keysOlderThan(timeline, ItemKey.MAX_TS + 1)) {
            changes.add(new RowChange.Delete(key));
        }
        for (Item item : snapshot.items()) {
            changes.add(new RowChange.Put(new ItemKey(timeline, item.ts(), item.seq()), item.value()));
        }
        write(new TimelineUpdate(timeline, new TimelineState(snapshot.version(), snapshot.coldLinks()), changes));
    }

    @Override
    public Set<Long> timelines() {
        flush();
        return store.timelines();
    }

    /** A node's durable copy is its log and store; only the simulator copies applied states. */
    @Override
    public AppliedState copy() {
        throw new UnsupportedOperationException("the node's applied state lives on disk; it is not copied");
    }

    /** The oldest update applied to the store and not yet handed to the log, or null. */
    public TimelineUpdate takeUnlogged() {
        return unlogged.pollFirst();
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

    private TimelineState state(long timeline) {
        TimelineState unflushed = unwrittenStates.get(timeline);
        return unflushed != null ? unflushed : store.state(timeline);
    }

    private void write(TimelineUpdate update) {
        versions.invalidate(update.timeline());
        unwritten.add(update);
        unwrittenStates.put(update.timeline(), update.state());
        unlogged.addLast(update);
        if (unwritten.size() >= FLUSH_AT_UPDATES) {
            flush();
        }
    }

    private List<ItemKey> keysOlderThan(long timeline, long beforeTs) {
        flush();
        List<ItemKey> keys = new ArrayList<>();
        ItemKey after = beforeTs > ItemKey.MAX_TS ? null : new ItemKey(timeline, beforeTs, 0);
        store.scan(timeline, after, stored -> keys.add(stored.key()));
        return keys;
    }
}
