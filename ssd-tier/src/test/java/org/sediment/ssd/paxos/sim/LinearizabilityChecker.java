package org.sediment.ssd.paxos.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.sediment.ssd.paxos.Item;
import org.sediment.ssd.paxos.OpOutcome;
import org.sediment.ssd.paxos.Operation;
import org.sediment.ssd.paxos.Proposal;

/**
 * Checks one run's client history against the decided log. Every write that took effect has a
 * position (its entry) and every read returns a version, so instead of searching for a
 * linearization we check that the log order <em>is</em> one:
 * <ol>
 *   <li>the log has no gap; every operation in it is one a client invoked on that timeline,
 *       unchanged; no applied entry lies above the final version (a chosen entry is never lost,
 *       acknowledged or not); an operation that appears twice (a client's retry) takes effect at
 *       its first entry only, as long as the timeline still remembers its id (the specification's
 *       {@link ReferenceTimeline#MEMORY}); one that took effect twice is counted as a duplicate
 *       and reported;</li>
 *   <li>every acknowledged write is in the log at the version it was acknowledged with, with the
 *       outcome the sequential specification gives there (no acknowledged write lost; CAS and
 *       append-seq results are right); writes refused as certainly-not-done are absent;</li>
 *   <li>every read's content equals the specification's state after its version;</li>
 *   <li>real time: if A completed before B was invoked then pos(A) <= pos(B), strictly if B is a
 *       write (B's entry comes after everything A observed or wrote). A write that took effect
 *       without a definite answer (unanswered, or {@code Contended}) never completed, so it is
 *       only ever B: it too must land after everything that completed before it was invoked.</li>
 * </ol>
 * Ordering all writes by (entry, index in batch) and each read right after the last write of its
 * version then gives a sequential history that is legal (2, 3) and respects real time (4), which
 * is the definition of linearizability. Unanswered writes may or may not be in the log, as
 * linearizability allows for pending operations.
 */
final class LinearizabilityChecker {
    private static final int MAX_REPORTED = 5;

    private final List<String> violations = new ArrayList<>();
    private long repeatsAbsorbed;
    /** The replicas' converged items per timeline, if given: checked against the specification. */
    private Map<Long, List<Item>> finalItems = Map.of();
    private long duplicates;

    /** Retries that reached the log again and were answered from the timeline's memory. */
    long repeatsAbsorbed() {
        return repeatsAbsorbed;
    }

    /** Operations that took effect more than once. */
    long duplicates() {
        return duplicates;
    }

    /**
     * Also checks the replicas' converged items ({@code items}, every item of each timeline at its
     * final version) against the specification's state there: an apply bug that loses or
     * changes an item identically on every replica shows here even if no read saw it.
     */
    LinearizabilityChecker withFinalItems(Map<Long, List<Item>> items) {
        this.finalItems = items;
        return this;
    }

    List<String> check(List<HistoryOp> history, ChosenOracle oracle, Map<Long, Long> finalVersions, int readLimit) {
        Map<Long, List<HistoryOp>> byTimeline = new HashMap<>();
        history.forEach(op -> byTimeline.computeIfAbsent(op.timeline, k -> new ArrayList<>()).add(op));
        // Timelines no client used are checked too: their logs must hold nothing.
        Set<Long> timelines = new TreeSet<>(byTimeline.keySet());
        timelines.addAll(finalVersions.keySet());
        for (long t : timelines) {
            checkTimeline(t, byTimeline.getOrDefault(t, List.of()), oracle.log(t), finalVersions.getOrDefault(t, 0L),
                    readLimit);
        }
        return violations;
    }

    private void violation(String s) {
        if (violations.size() < MAX_REPORTED) {
            violations.add(s);
        }
    }

    private void checkTimeline(long t, List<HistoryOp> ops, TreeMap<Long, Proposal> log, long finalVersion,
                               int readLimit) {
        if (!log.isEmpty() && log.lastKey() > finalVersion) {
            violation("timeline " + t + ": entry " + log.lastKey() + " was applied but the final version is "
                    + finalVersion + ": " + log.lastEntry().getValue());
        }
        Map<Long, Operation> invoked = new HashMap<>();
        for (HistoryOp op : ops) {
            if (!op.isRead()) {
                invoked.put(op.write.opId(), op.write);
            }
        }
        Map<Long, Long> entryOf = new HashMap<>();
        for (long e = 1; e <= finalVersion; e++) {
            Proposal p = log.get(e);
            if (p == null) {
                violation("timeline " + t + ": entry " + e + " below final version " + finalVersion + " never applied");
                return;
            }
            for (Operation op : p.ops()) {
                entryOf.putIfAbsent(op.opId(), e); // a later copy is a retry: it took effect here or never
                Operation asInvoked = invoked.get(op.opId());
                if (asInvoked == null) {
                    violation("timeline " + t + ": entry " + e + " holds " + op + ", which no client invoked on this"
                            + " timeline");
                } else if (!asInvoked.equals(op)) {
                    violation("timeline " + t + ": entry " + e + " holds " + op + ", which differs from the invoked "
                            + asInvoked);
                }
            }
        }
        Map<Long, OpOutcome> expected = replay(t, ops, log, finalVersion, readLimit);
        for (HistoryOp op : ops) {
            if (!op.isRead()) {
                checkWrite(t, op, entryOf.get(op.write.opId()), expected.get(op.write.opId()));
            }
        }
        checkRealTime(t, ops, entryOf);
    }

    /** Replays the log through the specification; compares reads as their versions go by. */
    private Map<Long, OpOutcome> replay(long t, List<HistoryOp> ops, TreeMap<Long, Proposal> log, long finalVersion,
                                        int readLimit) {
        TreeMap<Long, List<HistoryOp>> readsByVersion = new TreeMap<>();
        for (HistoryOp op : ops) {
            if (op.isRead() && op.outcome instanceof OpOutcome.ReadDone r) {
                if (r.version() > finalVersion) {
                    violation("timeline " + t + ": read returned version " + r.version() + " beyond the final "
                            + finalVersion + ": " + op);
                }
                readsByVersion.computeIfAbsent(r.version(), k -> new ArrayList<>()).add(op);
            }
        }
        Map<Long, OpOutcome> expected = new HashMap<>();
        ReferenceTimeline model = new ReferenceTimeline();
        compareReads(t, readsByVersion.get(0L), model, readLimit);
        for (long e = 1; e <= finalVersion; e++) {
            model.advanceTo(e - 1);
            List<Operation> entryOps = log.get(e).ops();
            for (int i = 0; i < entryOps.size(); i++) {
                Operation op = entryOps.get(i);
                long absorbedBefore = model.repeatsAbsorbed;
                OpOutcome outcome = model.apply(e, i, op);
                if (expected.putIfAbsent(op.opId(), outcome) != null && model.repeatsAbsorbed == absorbedBefore) {
                    duplicates++;
                    violation("timeline " + t + ": operation " + op.opId() + " took effect twice (again at entry " + e
                            + ", after the timeline forgot its id)");
                }
            }
            model.advanceTo(e);
            compareReads(t, readsByVersion.get(e), model, readLimit);
        }
        List<Item> converged = finalItems.get(t);
        if (converged != null) {
            List<Item> specified = model.view(Integer.MAX_VALUE).newestItems();
            if (!specified.equals(converged)) {
                violation("timeline " + t + ": the replicas converged on " + converged.size() + " items "
                        + converged.subList(0, Math.min(3, converged.size())) + "... but the specification holds "
                        + specified.size() + " " + specified.subList(0, Math.min(3, specified.size())) + "...");
            }
        }
        repeatsAbsorbed += model.repeatsAbsorbed;
        return expected;
    }

    private void compareReads(long t, List<HistoryOp> reads, ReferenceTimeline model, int readLimit) {
        if (reads == null) {
            return;
        }
        OpOutcome.ReadDone want = model.view(readLimit);
        for (HistoryOp read : reads) {
            if (!want.equals(read.outcome)) {
                violation("timeline " + t + ": read [" + read.startMs + ".." + read.endMs + "] returned " + brief(read.outcome)
                        + " but the state at that version is " + brief(want));
            }
        }
    }

    private static String brief(OpOutcome outcome) {
        if (outcome instanceof OpOutcome.ReadDone r) {
            return "v" + r.version() + ", newest "
                    + r.newestItems().subList(0, Math.min(3, r.newestItems().size()));
        }
        return String.valueOf(outcome);
    }

    private void checkWrite(long t, HistoryOp op, Long entry, OpOutcome expected) {
        OpOutcome got = op.outcome;
        long version = switch (got) {
            case OpOutcome.Appended a -> a.version();
            case OpOutcome.Written w -> w.version();
            case OpOutcome.VersionMismatch m -> m.version();
            case null, default -> -1;
        };
        if (version >= 0) {
            if (entry == null) {
                violation("timeline " + t + ": acknowledged write lost: " + op);
            } else if (entry != version) {
                violation("timeline " + t + ": " + op + " acknowledged at version " + version + " but is at " + entry);
            } else if (!got.equals(expected)) {
                violation("timeline " + t + ": " + op + " but the specification gives " + expected);
            }
        } else if (got != null && got.certainlyNotApplied() && entry != null) {
            violation("timeline " + t + ": " + op + " was refused yet applied at " + entry);
        }
    }

    private record Point(long start, long end, long pos, boolean write, HistoryOp op) {
    }

    private void checkRealTime(long t, List<HistoryOp> ops, Map<Long, Long> entryOf) {
        List<Point> points = new ArrayList<>();
        for (HistoryOp op : ops) {
            if (op.isRead() && op.outcome instanceof OpOutcome.ReadDone r) {
                points.add(new Point(op.startMs, op.endMs, r.version(), false, op));
            } else if (!op.isRead() && entryOf.containsKey(op.write.opId())) {
                boolean completed = op.endMs >= 0 && !(op.outcome instanceof OpOutcome.Contended);
                points.add(new Point(op.startMs, completed ? op.endMs : Long.MAX_VALUE, entryOf.get(op.write.opId()),
                        true, op));
            }
        }
        List<Point> byEnd = new ArrayList<>(points);
        byEnd.sort(Comparator.comparingLong(Point::end));
        points.sort(Comparator.comparingLong(Point::start));
        int next = 0;
        long maxPos = 0;
        Point maxPoint = null;
        for (Point b : points) {
            while (next < byEnd.size() && byEnd.get(next).end() < b.start()) {
                if (byEnd.get(next).pos() > maxPos || maxPoint == null) {
                    maxPos = byEnd.get(next).pos();
                    maxPoint = byEnd.get(next);
                }
                next++;
            }
            if (maxPoint != null && (b.write() ? b.pos() <= maxPos : b.pos() < maxPos)) {
                violation("timeline " + t + ": real-time order broken: " + maxPoint.op() + " completed before "
                        + b.op() + " started, but their positions are " + maxPos + " and " + b.pos());
            }
        }
    }
}
