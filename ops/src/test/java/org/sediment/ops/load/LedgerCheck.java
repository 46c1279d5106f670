package org.sediment.ops.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sediment.common.api.ssd.TimelineItem;
import org.sediment.ops.load.AppendLedger.Ack;
import org.sediment.ops.load.AppendLedger.AppendId;

/** Compares an {@link AppendLedger}'s record of appends with the items read back from their timelines. */
final class LedgerCheck {

    private LedgerCheck() {
    }

    /** One stored item and its timeline. */
    record Stored(long timeline, TimelineItem item) {
    }

    /** Which append a stored value is, or null if no client sent it to that timeline ({@link AppendLedger#sender}). */
    @FunctionalInterface
    interface Sender {
        AppendId of(long timeline, byte[] value);
    }

    /** The acknowledged appends not stored at the (timeline, ts, seq) their reply named, with their exact bytes. */
    static List<Ack> missing(List<Ack> acks, List<Stored> stored) {
        record Key(long timeline, long ts, int seq) {
        }
        Map<Key, byte[]> byKey = new HashMap<>();
        for (Stored s : stored) {
            byKey.put(new Key(s.timeline(), s.item().ts(), s.item().seq()), s.item().value());
        }
        return acks.stream().filter(a -> !Arrays.equals(byKey.get(new Key(a.timeline(), a.ts(), a.seq())), a.value())).toList();
    }

    /**
     * What the stored items say about the appends: copies beyond the first of a value stored more
     * than once, appends that failed but were stored, and values no client sent to the timeline
     * they are in (or whose bytes changed).
     *
     * @param duplicatedAcks up to five acknowledged appends that are stored more than once
     */
    record Tally(long duplicates, long failedButStored, List<Stored> foreign, List<Ack> duplicatedAcks) {

        static Tally of(Sender sender, List<Ack> acks, List<Stored> stored) {
            Map<AppendId, Integer> copies = new HashMap<>();
            List<Stored> foreign = new ArrayList<>();
            for (Stored s : stored) {
                AppendId id = sender.of(s.timeline(), s.item().value());
                if (id == null) {
                    foreign.add(s);
                } else {
                    copies.merge(id, 1, Integer::sum);
                }
            }
            Set<AppendId> ackedIds = new HashSet<>();
            List<Ack> duplicatedAcks = new ArrayList<>();
            for (Ack a : acks) {
                AppendId id = sender.of(a.timeline(), a.value());
                ackedIds.add(id);
                if (copies.getOrDefault(id, 0) > 1 && duplicatedAcks.size() < 5) {
                    duplicatedAcks.add(a);
                }
            }
            long duplicates = copies.values().stream().mapToLong(n -> n - 1).sum();
            long failedButStored = copies.keySet().stream().filter(id -> !ackedIds.contains(id)).count();
            return new Tally(duplicates, failedButStored, foreign, duplicatedAcks);
        }
    }
}
