package org.sediment.ssd.paxos.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sediment.ssd.paxos.Item;
import org.sediment.ssd.paxos.OpOutcome;
import org.sediment.ssd.paxos.Operation;

/**
 * The sequential specification of one timeline, written independently of the production
 * {@code TimelineMachine} so a shared bug cannot hide itself: an entry is a batch of operations
 * applied in order at version {@code entry}; a conditional operation at version {@code v} applies
 * only if no operation took effect after {@code v} (in an earlier entry or earlier in its own) and
 * {@code v} is not past the version before its entry; the {@code index}-th operation of entry {@code entry} appends at seq
 * {@code entry * 64 + index}; an operation id seen among the timeline's last {@link #MEMORY} ids
 * is a retry and answers as it did the first time, changing nothing.
 */
final class ReferenceTimeline {
    static final int MEMORY = org.sediment.ssd.timeline.RequestMemory.CAPACITY;

    private final TreeMap<Long, TreeMap<Integer, byte[]>> byTs = new TreeMap<>(Comparator.reverseOrder());
    /** The last {@link #MEMORY} operation ids, oldest first, with their first outcome. */
    private final LinkedHashMap<Long, OpOutcome> recent = new LinkedHashMap<>();
    private long version;
    /** The entry of the last operation that took effect. */
    private long written;
    long repeatsAbsorbed;

    OpOutcome apply(long entry, int index, Operation op) {
        assert entry == version + 1 || entry == version : "entries apply in order";
        version = entry;
        OpOutcome first = recent.get(op.opId());
        if (first != null) {
            repeatsAbsorbed++;
            return first;
        }
        OpOutcome outcome = applyOnce(entry, index, op);
        recent.put(op.opId(), outcome);
        if (recent.size() > MEMORY) {
            recent.remove(recent.keySet().iterator().next());
        }
        return outcome;
    }

    private OpOutcome applyOnce(long entry, int index, Operation op) {
        long before = entry - 1;
        if (op.ifVersion() != Operation.UNCONDITIONAL && (op.ifVersion() < written || op.ifVersion() > before)) {
            return new OpOutcome.VersionMismatch(op.ifVersion(), before, entry);
        }
        written = entry;
        switch (op) {
            case Operation.Append a -> {
                int seq = Math.toIntExact(entry * 64 + index);
                byTs.computeIfAbsent(a.ts(), k -> new TreeMap<>()).put(seq, a.value());
                return new OpOutcome.Appended(seq, entry);
            }
            case Operation.Put p -> byTs.computeIfAbsent(p.ts(), k -> new TreeMap<>()).put(p.seq(), p.value());
            case Operation.Delete d -> {
                TreeMap<Integer, byte[]> atTs = byTs.get(d.ts());
                if (atTs != null) {
                    atTs.remove(d.seq());
                    if (atTs.isEmpty()) {
                        byTs.remove(d.ts());
                    }
                }
            }
            case Operation.CommitColdLink c -> byTs.keySet().removeIf(ts -> ts < c.coldBeforeTs());
        }
        return new OpOutcome.Written(entry);
    }

    void advanceTo(long entry) {
        version = entry;
    }

    OpOutcome.ReadDone view(int limit) {
        List<Item> newest = new ArrayList<>();
        for (Map.Entry<Long, TreeMap<Integer, byte[]>> ts : byTs.entrySet()) {
            for (Map.Entry<Integer, byte[]> s : ts.getValue().descendingMap().entrySet()) {
                if (newest.size() < limit) {
                    newest.add(new Item(ts.getKey(), s.getKey(), s.getValue()));
                }
            }
        }
        return new OpOutcome.ReadDone(version, newest);
    }
}
