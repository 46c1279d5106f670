package org.sediment.ssd.paxos;

import java.util.ArrayList;
import java.util.List;
import org.sediment.common.key.ItemKey;
import org.sediment.ssd.timeline.RequestMemory;
import org.sediment.ssd.timeline.RequestMemory.Kind;
import org.sediment.ssd.timeline.RequestMemory.Remembered;
import org.sediment.ssd.timeline.RowChange;
import org.sediment.ssd.timeline.TimelineState;
import org.sediment.ssd.timeline.TimelineUpdate;

/**
 * What an applied operation does to a timeline: the one definition, run by every replica, the
 * simulator's and the node's alike. Pure: a chosen entry and the timeline's state before it in;
 * the row changes, the state's additions and each operation's outcome out. It never reads rows,
 * so a store only has to carry out the {@link TimelineUpdate} it is given, and replaying one
 * after a crash writes the same keys again.
 *
 * <p>Rules, per operation of the entry, in order:
 * <ul>
 *   <li>A request id the timeline remembers ({@link RequestMemory}, including earlier operations
 *       of this entry) is a retry: it gets the first attempt's outcome and changes nothing.</li>
 *   <li>A conditional operation whose {@code ifVersion} is not the version before the entry
 *       changes nothing and answers {@link OpOutcome.VersionMismatch}.</li>
 *   <li>An append's seq is {@code (entry << 6) | index}: increasing with the entry, so later
 *       appends at one ts sort newer, and derived from the log alone, never from the rows.</li>
 *   <li>A cold-link commit deletes the rows older than its boundary and adds the link.</li>
 * </ul>
 * Every entry advances the version by one, whatever its operations did.
 */
public final class TimelineMachine {

    /** Operations per entry are numbered in the low bits of an append's seq. */
    static final int OP_INDEX_BITS = 6;
    public static final int MAX_OPS_PER_ENTRY = 1 << OP_INDEX_BITS;

    /** An applied entry: what to store, the state it leaves, and one outcome per operation. */
    public record Applied(TimelineUpdate update, TimelineState after, List<OpOutcome> outcomes) {
    }

    private TimelineMachine() {
    }

    /**
     * The seq of the {@code index}-th operation of entry {@code entry} when it appends. Unsigned,
     * increasing with the entry; it wraps only after 2^26 entries of one timeline at one millisecond.
     */
    public static int appendSeq(long entry, int index) {
        return (int) ((entry << OP_INDEX_BITS) | index);
    }

    /** Applies chosen entry {@code entry} (which must be {@code before.version() + 1}). */
    public static Applied apply(long timeline, TimelineState before, long entry, Proposal proposal) {
        List<Operation> ops = proposal.ops();
        if (ops.size() > MAX_OPS_PER_ENTRY) {
            throw new IllegalStateException("entry " + entry + " holds " + ops.size() + " operations; at most "
                    + MAX_OPS_PER_ENTRY + " fit the append seq");
        }
        if (entry != before.version() + 1) {
            throw new IllegalStateException("timeline " + Long.toUnsignedString(timeline) + " at version "
                    + before.version() + " cannot apply entry " + entry);
        }
        List<RowChange> changes = new ArrayList<>(ops.size());
        List<byte[]> links = new ArrayList<>(0);
        List<Remembered> remembered = new ArrayList<>(ops.size());
        List<OpOutcome> outcomes = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            Remembered first = recall(before.requests(), remembered, op.opId());
            if (first != null) {
                outcomes.add(outcomeOf(first.kind(), first.entry(), first.index(), op));
                continue;
            }
            Kind kind;
            if (op.conditional() && op.ifVersion() != before.version()) {
                kind = Kind.VERSION_MISMATCH;
            } else {
                kind = switch (op) {
                    case Operation.Append a -> {
                        changes.add(new RowChange.Put(new ItemKey(timeline, a.ts(), appendSeq(entry, i)), a.value()));
                        yield Kind.APPENDED;
                    }
                    case Operation.Put p -> {
                        changes.add(new RowChange.Put(new ItemKey(timeline, p.ts(), p.seq()), p.value()));
                        yield Kind.WRITTEN;
                    }
                    case Operation.Delete d -> {
                        changes.add(new RowChange.Delete(new ItemKey(timeline, d.ts(), d.seq())));
                        yield Kind.WRITTEN;
                    }
                    case Operation.CommitColdLink c -> {
                        // Items older than the boundary are served through the link from now on.
                        changes.add(new RowChange.DeleteOlderThan(timeline, c.coldBeforeTs()));
                        links.add(c.link());
                        yield Kind.WRITTEN;
                    }
                };
            }
            if (op.opId() != RequestMemory.NO_ID) {
                remembered.add(new Remembered(op.opId(), entry, i, kind));
            }
            outcomes.add(outcomeOf(kind, entry, i, op));
        }
        TimelineUpdate update = new TimelineUpdate(timeline, entry, changes, links, remembered, false);
        return new Applied(update, before.after(update), outcomes);
    }

    /** The update that installs a peer's snapshot: every row replaced, the state taken whole. */
    public static TimelineUpdate install(TimelineSnapshot snapshot) {
        List<RowChange.Put> rows = new ArrayList<>(snapshot.items().size());
        for (Item item : snapshot.items()) {
            rows.add(new RowChange.Put(new ItemKey(snapshot.timeline(), item.ts(), item.seq()), item.value()));
        }
        return TimelineUpdate.replacing(snapshot.timeline(), snapshot.state(), rows);
    }

    private static Remembered recall(RequestMemory memory, List<Remembered> thisEntry, long requestId) {
        if (requestId == RequestMemory.NO_ID) {
            return null;
        }
        for (Remembered r : thisEntry) {
            if (r.requestId() == requestId) {
                return r;
            }
        }
        return memory.find(requestId);
    }

    private static OpOutcome outcomeOf(Kind kind, long entry, int index, Operation op) {
        return switch (kind) {
            case APPENDED -> new OpOutcome.Appended(appendSeq(entry, index), entry);
            case WRITTEN -> new OpOutcome.Written(entry);
            case VERSION_MISMATCH -> new OpOutcome.VersionMismatch(op.ifVersion(), entry - 1, entry);
        };
    }
}
