package org.sediment.ssd.paxos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@link AppliedState} on heap maps: for the simulator, tests and the core benchmark. */
public final class InMemoryAppliedState implements AppliedState {

    /** Newest first: ts descending, then seq descending (the on-disk key order). */
    private static final Comparator<long[]> NEWEST_FIRST =
            Comparator.<long[]>comparingLong(k -> -k[0]).thenComparingLong(k -> -k[1]);

    private static final class Timeline {
        long version;
        final TreeMap<long[], byte[]> items = new TreeMap<>(NEWEST_FIRST);
        final List<byte[]> coldLinks = new ArrayList<>();
    }

    private final Map<Long, Timeline> timelines = new HashMap<>();

    @Override
    public long version(long timeline) {
        Timeline t = timelines.get(timeline);
        return t == null ? 0 : t.version;
    }

    @Override
    public List<OpOutcome> apply(long timeline, long entry, Proposal proposal) {
        Timeline t = timelines.computeIfAbsent(timeline, k -> new Timeline());
        if (entry != t.version + 1) {
            throw new IllegalStateException("timeline " + timeline + " at version " + t.version
                    + " cannot apply entry " + entry);
        }
        long before = t.version;
        t.version = entry;
        List<OpOutcome> outcomes = new ArrayList<>(proposal.ops().size());
        for (Operation op : proposal.ops()) {
            outcomes.add(applyOne(t, op, before, entry));
        }
        return outcomes;
    }

    private static OpOutcome applyOne(Timeline t, Operation op, long before, long entry) {
        if (op.conditional() && op.ifVersion() != before) {
            return new OpOutcome.VersionMismatch(op.ifVersion(), before, entry);
        }
        switch (op) {
            case Operation.Append a -> {
                int seq = nextSeq(t, a.ts());
                t.items.put(new long[] {a.ts(), seq}, a.value());
                return new OpOutcome.Appended(seq, entry);
            }
            case Operation.Put p -> t.items.put(new long[] {p.ts(), p.seq()}, p.value());
            case Operation.Delete d -> t.items.remove(new long[] {d.ts(), d.seq()});
            case Operation.CommitColdLink c -> {
                t.coldLinks.add(c.link());
                // Items older than the sink boundary are now served through the link.
                t.items.tailMap(new long[] {c.coldBeforeTs() - 1, Integer.MAX_VALUE}, true).clear();
            }
        }
        return new OpOutcome.Written(entry);
    }

    private static int nextSeq(Timeline t, long ts) {
        // The newest key at ts is the one with the highest seq: ceiling of (ts, +inf).
        long[] newestAtTs = t.items.ceilingKey(new long[] {ts, Integer.MAX_VALUE});
        return newestAtTs != null && newestAtTs[0] == ts ? (int) newestAtTs[1] + 1 : 0;
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
        return new OpOutcome.ReadDone(t.version, newest);
    }

    @Override
    public TimelineSnapshot snapshot(long timeline) {
        Timeline t = timelines.get(timeline);
        if (t == null) {
            return new TimelineSnapshot(timeline, 0, List.of(), List.of());
        }
        return new TimelineSnapshot(timeline, t.version, read(timeline, Integer.MAX_VALUE).newestItems(),
                t.coldLinks);
    }

    @Override
    public void install(TimelineSnapshot snapshot) {
        if (snapshot.version() <= version(snapshot.timeline())) {
            throw new IllegalStateException("snapshot at " + snapshot.version() + " is not ahead of "
                    + version(snapshot.timeline()));
        }
        Timeline t = new Timeline();
        t.version = snapshot.version();
        for (Item i : snapshot.items()) {
            t.items.put(new long[] {i.ts(), i.seq()}, i.value());
        }
        t.coldLinks.addAll(snapshot.coldLinks());
        timelines.put(snapshot.timeline(), t);
    }

    @Override
    public Set<Long> timelines() {
        return Set.copyOf(timelines.keySet());
    }

    @Override
    public AppliedState copy() {
        InMemoryAppliedState copy = new InMemoryAppliedState();
        for (long id : timelines.keySet()) {
            if (version(id) > 0) {
                copy.install(snapshot(id));
            }
        }
        return copy;
    }
}
