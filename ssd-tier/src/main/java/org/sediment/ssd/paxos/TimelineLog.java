package org.sediment.ssd.paxos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One replica's view of one timeline's Paxos log above the applied state: acceptor records of
 * undecided entries, entries known chosen but not yet applicable (a gap below them), and a tail
 * of recently applied entries kept for peers that catch up. The acceptor rules live here as pure
 * decisions; {@link PaxosReplica} turns them into writes and replies.
 */
final class TimelineLog {
    final long timeline;
    /** Acceptor state of entries above the committed one. */
    final TreeMap<Long, AcceptorRecord> records = new TreeMap<>();
    /** Chosen entries above committed + 1, waiting for the gap to fill. */
    final TreeMap<Long, Proposal> chosenAhead = new TreeMap<>();
    /** Recently applied entries, oldest first, for catch-up: their handles in {@link #tailValues}. */
    private final TailRing tail;
    private final TailValues tailValues;
    static final long UNKNOWN = -1;
    /** The applied version, as {@link PaxosReplica} last read or changed it; {@link #UNKNOWN} until asked. */
    long committed = UNKNOWN;
    long catchUpRetryAtTick;
    Proposer proposer;
    StrongRead reads;

    TimelineLog(long timeline, int tailLimit, TailValues tailValues) {
        this.timeline = timeline;
        this.tail = new TailRing(tailLimit);
        this.tailValues = tailValues;
    }

    AcceptorRecord record(long entry) {
        return records.getOrDefault(entry, AcceptorRecord.EMPTY);
    }

    /** Outcome of an acceptor step: the new record (null if unchanged) and the verdict. */
    record Vote(boolean granted, AcceptorRecord updated, long hintBallot) {
    }

    Vote onPrepare(long entry, long ballot) {
        assert ballot != Ballot.FAST : "prepare never uses the fast ballot";
        AcceptorRecord rec = record(entry);
        if (ballot < rec.promised()) {
            return new Vote(false, null, rec.promised());
        }
        return new Vote(true, ballot == rec.promised() ? null : rec.promise(ballot), rec.promised());
    }

    Vote onAccept(long entry, long ballot, Proposal value) {
        AcceptorRecord rec = record(entry);
        boolean granted;
        if (ballot == Ballot.FAST) {
            // Fast accept skips prepare, so it is only safe where nothing happened yet.
            granted = rec.promised() == Ballot.FAST && (rec.accepted() == null || rec.accepted().sameIdentity(value));
        } else {
            granted = ballot >= rec.promised();
        }
        if (!granted) {
            return new Vote(false, null, Math.max(rec.promised(), rec.acceptedBallot()));
        }
        assert rec.acceptedBallot() != ballot || rec.accepted() == null || rec.accepted().sameIdentity(value)
                : "two values at one ballot " + Ballot.format(ballot) + ": " + rec.accepted() + " vs " + value;
        boolean unchanged = rec.acceptedBallot() == ballot && rec.accepted() != null && rec.promised() == ballot;
        return new Vote(true, unchanged ? null : rec.accept(ballot, value), rec.promised());
    }

    /** Highest entry with an accepted value or a known-chosen value (0 if none). */
    long maxAcceptedOrChosenAhead() {
        long max = 0;
        for (Map.Entry<Long, AcceptorRecord> e : records.descendingMap().entrySet()) {
            if (e.getValue().accepted() != null) {
                max = e.getKey();
                break;
            }
        }
        return chosenAhead.isEmpty() ? max : Math.max(max, chosenAhead.lastKey());
    }

    /** Adds the applied entry whose value {@link #tailValues} keeps under {@code handle}. */
    void appendTail(long entry, long handle) {
        tail.add(entry, handle);
    }

    /** Forgets the tail's oldest entry if it is {@code entry}: the replica's tail budget ran out. */
    void forgetOldestTail(long entry) {
        tail.removeFirstIf(entry);
    }

    void clearTail() {
        tail.clear();
    }

    /** The chosen value of an applied entry if still in the tail, else null. */
    Proposal chosenInTail(long entry) {
        long handle = tail.get(entry);
        return handle == TailRing.NONE ? null : tailValues.get(handle);
    }

    /** Consecutive entries from {@code from}, or null if {@code from} was trimmed out of the tail. */
    List<PaxosMessage.ChosenEntry> tailFrom(long from, int max) {
        if (tail.isEmpty() || from < tail.firstEntry()) {
            return null;
        }
        List<PaxosMessage.ChosenEntry> out = new ArrayList<>();
        for (long entry = from; out.size() < max; entry++) {
            long handle = tail.get(entry);
            if (handle == TailRing.NONE) {
                break;
            }
            out.add(new PaxosMessage.ChosenEntry(entry, tailValues.get(handle)));
        }
        return out;
    }

    /** Drops state made irrelevant by the timeline reaching {@code committed}. */
    void trimUpTo(long committed) {
        dropUpTo(records, committed);
        dropUpTo(chosenAhead, committed);
    }

    /**
     * Removes the keys up to {@code upTo}. Runs once per applied entry, usually removing one key
     * or none, so it avoids the view and iterator a {@code headMap(..).clear()} allocates.
     */
    private static void dropUpTo(TreeMap<Long, ?> map, long upTo) {
        while (!map.isEmpty() && map.firstKey() <= upTo) {
            map.remove(map.firstKey());
        }
    }
}
