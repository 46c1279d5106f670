package org.sediment.ssd.paxos;

import java.util.ArrayList;
import java.util.List;
import org.sediment.common.block.ColdLink;
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
 *   <li>An operation the machine cannot apply ({@link #invalidReason}: a ts out of range, a value
 *       too large, a link that is not a cold link, a timeline already holding the most links)
 *       changes nothing and answers {@link OpOutcome.Invalid}. Proposers and acceptors refuse
 *       such values before they enter the log; this rule makes the machine total anyway, so no
 *       value, however it got into the log, can stop a replica or make two differ.</li>
 * </ul>
 * Every entry advances the version by one, whatever its operations did.
 */
public final class TimelineMachine {

    /** Operations per entry are numbered in the low bits of an append's seq. */
    static final int OP_INDEX_BITS = 6;
    public static final int MAX_OPS_PER_ENTRY = 1 << OP_INDEX_BITS;

    /** The largest value an item may hold; the client API allows less. */
    public static final int MAX_VALUE_BYTES = 1 << 20;

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
        if (entry != before.version() + 1) {
            throw new IllegalStateException("timeline " + Long.toUnsignedString(timeline) + " at version "
                    + before.version() + " cannot apply entry " + entry);
        }
        List<RowChange> changes = new ArrayList<>(ops.size());
        List<byte[]> links = new ArrayList<>(0);
        List<Remembered> remembered = new ArrayList<>(ops.size());
        List<OpOutcome> outcomes = new ArrayList<>(ops.size());
        boolean tooMany = ops.size() > MAX_OPS_PER_ENTRY;
        long written = before.written();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            String invalid = tooMany ? "an entry holds at most " + MAX_OPS_PER_ENTRY + " operations"
                    : invalidReason(op);
            if (invalid == null && op instanceof Operation.CommitColdLink
                    && before.coldLinks().size() + links.size() >= TimelineState.MAX_COLD_LINKS) {
                invalid = "the timeline holds " + TimelineState.MAX_COLD_LINKS + " cold links, the most it may";
            }
            if (invalid != null) {
                outcomes.add(new OpOutcome.Invalid(invalid));
                continue;
            }
            Remembered first = recall(before.requests(), remembered, op.opId());
            if (first != null) {
                outcomes.add(outcomeOf(first.kind(), first.entry(), first.index(), op));
                continue;
            }
            Kind kind;
            // At version v means: nothing written after v (by an earlier entry, or earlier in this one).
            if (op.conditional() && (op.ifVersion() < written || op.ifVersion() > before.version())) {
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
                written = entry;
            }
            if (op.opId() != RequestMemory.NO_ID) {
                remembered.add(new Remembered(op.opId(), entry, i, kind));
            }
            outcomes.add(outcomeOf(kind, entry, i, op));
        }
        TimelineUpdate update = new TimelineUpdate(timeline, entry, changes, links, remembered, false, written);
        return new Applied(update, before.after(update), outcomes);
    }

    /**
     * Why the machine cannot apply {@code op}, or null if it can. Checked by a proposer before it
     * proposes and by an acceptor and a learner before they take a value, so nothing the machine
     * would refuse is chosen in the first place.
     */
    public static String invalidReason(Operation op) {
        return switch (op) {
            case Operation.Append a -> tsOutOfRange(a.ts()) ? "ts " + a.ts() + " out of range" : valueTooLarge(a.value());
            case Operation.Put p -> tsOutOfRange(p.ts()) ? "ts " + p.ts() + " out of range" : valueTooLarge(p.value());
            case Operation.Delete d -> tsOutOfRange(d.ts()) ? "ts " + d.ts() + " out of range" : null;
            case Operation.CommitColdLink c -> {
                if (c.coldBeforeTs() < ItemKey.MIN_TS || c.coldBeforeTs() > ItemKey.MAX_TS + 1) {
                    yield "sink boundary " + c.coldBeforeTs() + " out of range";
                }
                try {
                    ColdLink.decode(c.link());
                    yield null;
                } catch (IllegalArgumentException e) {
                    yield "not a cold link: " + e.getMessage();
                }
            }
        };
    }

    /** Why no replica should take {@code value} into its log, or null if every operation of it can apply. */
    public static String invalidReason(Proposal value) {
        if (value.ops().size() > MAX_OPS_PER_ENTRY) {
            return value.ops().size() + " operations in one value; at most " + MAX_OPS_PER_ENTRY;
        }
        for (Operation op : value.ops()) {
            String reason = invalidReason(op);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private static boolean tsOutOfRange(long ts) {
        return ts < ItemKey.MIN_TS || ts > ItemKey.MAX_TS;
    }

    private static String valueTooLarge(byte[] value) {
        return value.length > MAX_VALUE_BYTES ? "a value of " + value.length + " bytes; at most " + MAX_VALUE_BYTES : null;
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
