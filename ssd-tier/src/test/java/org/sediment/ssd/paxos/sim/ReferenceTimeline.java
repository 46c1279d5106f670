package org.sediment.ssd.paxos.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sediment.ssd.paxos.Item;
import org.sediment.ssd.paxos.OpOutcome;
import org.sediment.ssd.paxos.Operation;

/**
 * The sequential specification of one timeline, written independently of the production
 * {@code InMemoryAppliedState} so a shared bug cannot hide itself: an entry is a batch of
 * operations applied in order at version {@code entry}; a conditional operation tests the
 * version before its entry.
 */
final class ReferenceTimeline {
    private final TreeMap<Long, TreeMap<Integer, byte[]>> byTs = new TreeMap<>(Comparator.reverseOrder());
    private long version;

    OpOutcome apply(long entry, Operation op) {
        assert entry == version + 1 || entry == version : "entries apply in order";
        long before = entry - 1;
        version = entry;
        if (op.ifVersion() != Operation.UNCONDITIONAL && op.ifVersion() != before) {
            return new OpOutcome.VersionMismatch(op.ifVersion(), before, entry);
        }
        switch (op) {
            case Operation.Append a -> {
                TreeMap<Integer, byte[]> atTs = byTs.computeIfAbsent(a.ts(), k -> new TreeMap<>());
                int seq = atTs.isEmpty() ? 0 : atTs.lastKey() + 1;
                atTs.put(seq, a.value());
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
