package org.sediment.ssd.paxos.sim;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sediment.ssd.paxos.InMemoryAppliedState;
import org.sediment.ssd.paxos.TimelineMachine;
import org.sediment.ssd.paxos.Item;
import org.sediment.ssd.paxos.OpOutcome;
import org.sediment.ssd.paxos.Operation;
import org.sediment.ssd.paxos.Proposal;

/**
 * The checker on small hand-made histories: correct ones pass, and each kind of violation it
 * claims to find is reported with a message that names it.
 *
 * <p>Times are the simulator's logical history clock: {@code [start..end]}, end {@code -1} for
 * an operation never answered. Reads check content, so most writes here are {@link Operation.Put}
 * with an explicit seq; where an {@link Operation.Append} is needed, its acknowledgement and the
 * reads that show it come from the production {@link InMemoryAppliedState}, so these tests do
 * not restate the rule that assigns append seqs.
 */
class LinearizabilityCheckerTest {

    private static final long TL = 1;
    private static final int READ_LIMIT = 10;

    private final List<HistoryOp> history = new ArrayList<>();
    private final ChosenOracle oracle = new ChosenOracle();
    /** What the replicas applied: the source of append acks, reads and the final state. */
    private final InMemoryAppliedState replicas = new InMemoryAppliedState();
    private long nextOpId;

    // ------------------------------------------------------------------ correct histories

    @Test
    void sequentialWritesAndReadsPass() {
        Operation a = put(10, "a");
        Operation b = put(20, "b");
        chosen(1, a);
        done(a, 1, 2, new OpOutcome.Written(1));
        read(3, 4, 1, item(10, "a"));
        chosen(2, b);
        done(b, 5, 6, new OpOutcome.Written(2));
        read(7, 8, 2, item(20, "b"), item(10, "a"));

        assertThat(check()).isEmpty();
    }

    @Test
    void concurrentWritesMayTakeEffectInEitherOrder() {
        for (boolean firstInvokedGoesFirst : new boolean[] {true, false}) {
            LinearizabilityCheckerTest run = new LinearizabilityCheckerTest();
            Operation first = run.put(10, "first");
            Operation second = run.put(10, "second");
            Operation earlier = firstInvokedGoesFirst ? first : second;
            Operation later = firstInvokedGoesFirst ? second : first;
            run.chosen(1, earlier);
            run.chosen(2, later);
            run.done(first, 1, 6, new OpOutcome.Written(firstInvokedGoesFirst ? 1 : 2));
            run.done(second, 2, 5, new OpOutcome.Written(firstInvokedGoesFirst ? 2 : 1));
            // A read overlapping both sees the state after the first entry only; a read after
            // both sees the later one's value, whichever it is.
            run.read(3, 4, 1, item(10, firstInvokedGoesFirst ? "first" : "second"));
            run.read(7, 8, 2, item(10, firstInvokedGoesFirst ? "second" : "first"));

            assertThat(run.check()).as("first invoked goes first: %s", firstInvokedGoesFirst).isEmpty();
        }
    }

    @Test
    void readsConcurrentWithAWriteMaySeeItOrNot() {
        Operation a = put(10, "a");
        chosen(1, a);
        done(a, 2, 9, new OpOutcome.Written(1));
        read(3, 5, 0);
        read(4, 6, 1, item(10, "a"));
        read(1, 10, 0);
        read(8, 11, 1, item(10, "a"));

        assertThat(check()).isEmpty();
    }

    @Test
    void concurrentReadsMaySeeTwoConcurrentWritesInEitherOrderOfInvocation() {
        Operation first = put(10, "first");
        Operation second = put(20, "second");
        chosen(1, second);
        chosen(2, first);
        done(first, 1, 10, new OpOutcome.Written(2));
        done(second, 2, 10, new OpOutcome.Written(1));
        read(3, 4, 1, item(20, "second"));
        read(3, 5, 0);
        read(6, 7, 2, item(20, "second"), item(10, "first"));

        assertThat(check()).isEmpty();
    }

    @Test
    void appendsBatchedInOneEntryAreAcknowledgedAtThatVersion() {
        Operation x = append(10, "x");
        Operation y = append(10, "y");
        List<OpOutcome> acks = chosen(1, x, y);
        done(x, 1, 3, acks.get(0));
        done(y, 2, 4, acks.get(1));
        readNow(5, 6);

        assertThat(acks).allSatisfy(ack -> assertThat(ack).isInstanceOf(OpOutcome.Appended.class));
        assertThat(check()).isEmpty();
    }

    @Test
    void everyOperationKindAgreesWithTheSpecification() {
        Operation[] ops = {
                append(5, "old"), put(10, "a"), append(10, "b"), append(10, "c"),
                new Operation.Delete(++nextOpId, Operation.UNCONDITIONAL, 10, 0),
                new Operation.CommitColdLink(++nextOpId, Operation.UNCONDITIONAL, 10, new org.sediment.common.block.ColdLink(1, 0, 3, 0, 100, 0, 1, 0, 9).encode()),
                put(20, "d")};
        long clock = 0;
        for (int i = 0; i < ops.length; i++) {
            OpOutcome ack = chosen(i + 1, ops[i]).getFirst();
            done(ops[i], ++clock, ++clock, ack);
            readNow(++clock, ++clock);
        }

        assertThat(check()).isEmpty();
    }

    @Test
    void compareAndSetSucceedsOrMismatchesAsTheSpecificationSays() {
        Operation a = put(10, "a");
        Operation ifAtOne = putIf(1, 10, "b");
        Operation ifAtOneAgain = putIf(1, 10, "c");
        chosen(1, a);
        done(a, 1, 2, new OpOutcome.Written(1));
        chosen(2, ifAtOne);
        done(ifAtOne, 3, 4, new OpOutcome.Written(2));
        chosen(3, ifAtOneAgain);
        done(ifAtOneAgain, 5, 6, new OpOutcome.VersionMismatch(1, 2, 3));
        read(7, 8, 3, item(10, "b"));

        assertThat(check()).isEmpty();
    }

    @Test
    void unansweredContendedAndRefusedWritesAreJudgedByWhatTheyMayHaveDone() {
        Operation pendingApplied = put(10, "p");
        Operation pendingLost = put(11, "q");
        Operation contendedApplied = put(12, "r");
        Operation contendedLost = put(13, "s");
        Operation refused = put(14, "t");
        pending(pendingApplied, 1);
        pending(pendingLost, 2);
        done(contendedApplied, 3, 4, new OpOutcome.Contended(3, "ballots kept rising"));
        done(contendedLost, 5, 6, new OpOutcome.Contended(3, "ballots kept rising"));
        done(refused, 7, 8, new OpOutcome.Overloaded(64));
        // The contended write is chosen after its client gave up, through another proposer.
        chosen(1, pendingApplied);
        chosen(2, contendedApplied);
        read(9, 10, 2, item(12, "r"), item(10, "p"));
        HistoryOp unavailable = pending(null, 11);
        unavailable.endMs = 12;
        unavailable.outcome = new OpOutcome.ReadUnavailable(3, "no majority");

        assertThat(check()).isEmpty();
    }

    @Test
    void timelinesAreCheckedIndependently() {
        Operation a = put(10, "a");
        Operation b = put(20, "b");
        chosen(1, a);
        done(a, 1, 2, new OpOutcome.Written(1));
        chosen(2, b);
        done(b, 3, 4, new OpOutcome.Written(2));
        Operation other = put(10, "other");
        oracle.applied(0, 2, 1, new Proposal(0, 1, 100, List.of(other)));
        HistoryOp otherWrite = new HistoryOp(2, other, 5);
        otherWrite.endMs = 6;
        otherWrite.outcome = new OpOutcome.Written(1);
        history.add(otherWrite);
        HistoryOp otherRead = new HistoryOp(2, null, 7);
        otherRead.endMs = 8;
        otherRead.outcome = new OpOutcome.ReadDone(1, List.of(item(10, "other")));
        history.add(otherRead);

        assertThat(new LinearizabilityChecker().check(history, oracle, Map.of(TL, 2L, 2L, 1L), READ_LIMIT))
                .isEmpty();
    }

    // ------------------------------------------------------------------ reads

    @Test
    void staleReadAfterACompletedWriteIsReported() {
        Operation a = put(10, "a");
        chosen(1, a);
        done(a, 1, 2, new OpOutcome.Written(1));
        read(3, 4, 0);

        assertThat(check()).singleElement().asString()
                .contains("real-time order broken", a.toString(), "positions are 1 and 0");
    }

    @Test
    void readOlderThanAReadThatCompletedBeforeItIsReported() {
        Operation a = put(10, "a");
        pending(a, 1);
        chosen(1, a);
        read(2, 3, 1, item(10, "a"));
        read(4, 5, 0);

        assertThat(check()).singleElement().asString()
                .contains("real-time order broken", "[2..3]", "[4..5]", "positions are 1 and 0");
    }

    @Test
    void readWhoseItemsAreNotTheStateAtItsVersionIsReported() {
        Operation a = put(10, "a");
        chosen(1, a);
        done(a, 1, 2, new OpOutcome.Written(1));
        read(3, 4, 1);

        assertThat(check()).singleElement().asString()
                .contains("read [3..4] returned v1, newest []", "but the state at that version is v1, newest [10/0=1B]");
    }

    @Test
    void readOfAValueNeverWrittenIsReported() {
        Operation a = put(10, "a");
        chosen(1, a);
        done(a, 1, 2, new OpOutcome.Written(1));
        read(3, 4, 1, item(10, "never written"));

        assertThat(check()).singleElement().asString()
                .contains("read [3..4] returned v1, newest [10/0=13B]", "but the state at that version is");
    }

    @Test
    void readBeyondTheFinalVersionIsReported() {
        Operation a = put(10, "a");
        chosen(1, a);
        done(a, 1, 2, new OpOutcome.Written(1));
        read(3, 4, 2, item(10, "a"));

        assertThat(check()).anySatisfy(v -> assertThat(v).contains("read returned version 2 beyond the final 1"));
    }

    @Test
    void readThatSeesAnAnsweredWriteInvokedAfterTheReadCompletedIsReported() {
        Operation a = put(10, "a");
        chosen(1, a);
        read(1, 2, 1, item(10, "a"));
        done(a, 3, 4, new OpOutcome.Written(1));

        assertThat(check()).singleElement().asString()
                .contains("real-time order broken", "read@tl1 [1..2]", a.toString(), "positions are 1 and 1");
    }

    @Test
    void readThatSeesAnUnansweredWriteInvokedAfterTheReadCompletedIsReported() {
        Operation a = put(10, "a");
        chosen(1, a);
        read(1, 2, 1, item(10, "a"));
        pending(a, 3);

        assertThat(check()).singleElement().asString()
                .contains("real-time order broken", "read@tl1 [1..2]", a.toString(), "positions are 1 and 1");
    }

    @Test
    void readThatSeesAContendedWriteInvokedAfterTheReadCompletedIsReported() {
        Operation a = put(10, "a");
        chosen(1, a);
        read(1, 2, 1, item(10, "a"));
        done(a, 3, 4, new OpOutcome.Contended(3, "ballots kept rising"));

        assertThat(check()).singleElement().asString()
                .contains("real-time order broken", "read@tl1 [1..2]", a.toString(), "positions are 1 and 1");
    }

    @Test
    void readThatSeesAWriteNoClientInvokedIsReported() {
        Operation phantom = put(10, "phantom");
        chosen(1, phantom);
        read(1, 2, 1, item(10, "phantom"));

        assertThat(check()).singleElement().asString()
                .contains("entry 1 holds " + phantom + ", which no client invoked on this timeline");
    }

    @Test
    void writeOnATimelineNoClientUsedIsReported() {
        Operation phantom = put(10, "phantom");
        oracle.applied(0, 2, 1, new Proposal(0, 1, 1, List.of(phantom)));

        assertThat(new LinearizabilityChecker().check(history, oracle, Map.of(2L, 1L), READ_LIMIT))
                .singleElement().asString()
                .contains("timeline 2: entry 1 holds " + phantom + ", which no client invoked on this timeline");
    }

    // ------------------------------------------------------------------ writes

    @Test
    void acknowledgedWriteMissingFromTheLogIsReported() {
        Operation a = put(10, "a");
        done(a, 1, 2, new OpOutcome.Written(1));

        assertThat(check()).singleElement().asString().contains("acknowledged write lost", a.toString());
    }

    @Test
    void acknowledgedWriteAboveTheFinalVersionIsReported() {
        Operation a = put(10, "a");
        Operation b = put(20, "b");
        chosen(1, a);
        done(a, 1, 2, new OpOutcome.Written(1));
        chosenButLost(2, b);
        done(b, 3, 4, new OpOutcome.Written(2));

        assertThat(check()).anySatisfy(v -> assertThat(v).contains("acknowledged write lost", b.toString()));
    }

    @Test
    void chosenEntryMissingFromTheFinalStateIsReportedEvenIfUnacknowledged() {
        Operation a = put(10, "a");
        Operation b = put(20, "b");
        chosen(1, a);
        done(a, 1, 2, new OpOutcome.Written(1));
        chosenButLost(2, b);
        pending(b, 3);

        assertThat(check()).singleElement().asString()
                .contains("entry 2 was applied but the final version is 1: ", b.toString());
    }

    @Test
    void writeAcknowledgedAtAnotherVersionThanItsEntryIsReported() {
        Operation a = put(10, "a");
        Operation b = put(20, "b");
        chosen(1, a);
        chosen(2, b);
        done(a, 1, 2, new OpOutcome.Written(2));
        pending(b, 3);

        assertThat(check()).anySatisfy(v -> assertThat(v).contains(a + "@tl1 [1..2] -> Written[version=2]",
                "acknowledged at version 2 but is at 1"));
    }

    @Test
    void sequentialWritesAppliedInTheOtherOrderAreReported() {
        Operation first = put(10, "first");
        Operation second = put(10, "second");
        chosen(1, second);
        chosen(2, first);
        done(first, 1, 2, new OpOutcome.Written(2));
        done(second, 3, 4, new OpOutcome.Written(1));

        assertThat(check()).singleElement().asString()
                .contains("real-time order broken", first.toString(), second.toString(), "positions are 2 and 1");
    }

    @Test
    void operationAppliedDifferentlyFromHowItWasInvokedIsReported() {
        Operation invoked = put(10, "a");
        Operation corrupted = new Operation.Put(invoked.opId(), Operation.UNCONDITIONAL, 10, 0,
                bytes("zz"));
        chosen(1, corrupted);
        done(invoked, 1, 2, new OpOutcome.Written(1));
        read(3, 4, 1, item(10, "zz"));

        assertThat(check()).singleElement().asString()
                .contains("entry 1 holds " + corrupted + ", which differs from the invoked " + invoked);
    }

    @Test
    void gapInTheLogIsReported() {
        Operation a = put(10, "a");
        Operation c = put(30, "c");
        chosen(1, a);
        done(a, 1, 2, new OpOutcome.Written(1));
        oracle.applied(0, TL, 3, new Proposal(0, 1, 3, List.of(c)));
        done(c, 3, 4, new OpOutcome.Written(3));

        assertThat(new LinearizabilityChecker().check(history, oracle, Map.of(TL, 3L), READ_LIMIT))
                .singleElement().asString().contains("entry 2 below final version 3 never applied");
    }

    @Test
    void aRetryChosenAgainTakesEffectOnlyOnce() {
        Operation a = put(10, "a");
        chosen(1, a);
        chosen(2, a);
        done(a, 1, 2, new OpOutcome.Written(1));

        LinearizabilityChecker checker = new LinearizabilityChecker();
        assertThat(checker.check(history, oracle, Map.of(TL, 2L), READ_LIMIT)).isEmpty();
        assertThat(checker.repeatsAbsorbed()).isEqualTo(1);
        assertThat(checker.duplicates()).isZero();
    }

    @Test
    void compareAndSetAcknowledgedAgainstTheSpecificationIsReported() {
        Operation a = put(10, "a");
        Operation ifAtZero = putIf(0, 10, "b");
        chosen(1, a);
        done(a, 1, 2, new OpOutcome.Written(1));
        chosen(2, ifAtZero);
        done(ifAtZero, 3, 4, new OpOutcome.Written(2));

        assertThat(check()).singleElement().asString().contains(ifAtZero.toString(),
                "but the specification gives VersionMismatch[expectedVersion=0, actualVersion=1, version=2]");
    }

    @Test
    void appendAcknowledgedWithAnotherSeqThanTheSpecificationIsReported() {
        Operation x = append(10, "x");
        OpOutcome.Appended right = (OpOutcome.Appended) chosen(1, x).getFirst();
        OpOutcome.Appended wrong = new OpOutcome.Appended(right.seq() + 1, right.version());
        done(x, 1, 2, wrong);

        assertThat(check()).singleElement().asString()
                .contains(x + "@tl1 [1..2] -> " + wrong, "but the specification gives " + right);
    }

    @Test
    void refusedWriteThatWasAppliedIsReported() {
        Operation a = put(10, "a");
        chosen(1, a);
        done(a, 1, 2, new OpOutcome.Overloaded(64));

        assertThat(check()).singleElement().asString().contains(a.toString(), "was refused yet applied at 1");
    }

    // ------------------------------------------------------------------ the oracle

    @Test
    void twoValuesAppliedAtOneEntryBreakAgreement() {
        Operation a = put(10, "a");
        Operation b = put(10, "b");
        oracle.applied(0, TL, 1, new Proposal(0, 1, 1, List.of(a)));
        oracle.applied(1, TL, 1, new Proposal(0, 1, 1, List.of(a)));
        assertThat(oracle.violation()).isNull();

        oracle.applied(2, TL, 1, new Proposal(2, 7, 1, List.of(b)));
        assertThat(oracle.violation()).contains("AGREEMENT: timeline 1 entry 1", "on node 2");
    }

    // ------------------------------------------------------------------ building histories

    private Operation.Put put(long ts, String value) {
        return putIf(Operation.UNCONDITIONAL, ts, value);
    }

    private Operation.Put putIf(long ifVersion, long ts, String value) {
        return new Operation.Put(++nextOpId, ifVersion, ts, 0, bytes(value));
    }

    private Operation.Append append(long ts, String value) {
        return new Operation.Append(++nextOpId, Operation.UNCONDITIONAL, ts, bytes(value));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static Item item(long ts, String value) {
        return new Item(ts, 0, bytes(value));
    }

    /** Entry {@code entry} is chosen as one batch, and every replica applies it: returns the acks. */
    private List<OpOutcome> chosen(long entry, Operation... ops) {
        Proposal p = new Proposal(0, 1, entry, List.of(ops));
        oracle.applied(0, TL, entry, p);
        TimelineMachine.Applied applied = TimelineMachine.apply(TL, replicas.state(TL), entry, p);
        replicas.write(applied.update());
        return applied.outcomes();
    }

    /** A replica applied entry {@code entry}, yet the converged state does not hold it. */
    private void chosenButLost(long entry, Operation... ops) {
        oracle.applied(0, TL, entry, new Proposal(0, 1, entry, List.of(ops)));
    }

    private HistoryOp pending(Operation write, long startMs) {
        HistoryOp op = new HistoryOp(TL, write, startMs);
        history.add(op);
        return op;
    }

    private void done(Operation write, long startMs, long endMs, OpOutcome outcome) {
        HistoryOp op = pending(write, startMs);
        op.endMs = endMs;
        op.outcome = outcome;
    }

    private void read(long startMs, long endMs, long version, Item... newest) {
        done(null, startMs, endMs, new OpOutcome.ReadDone(version, List.of(newest)));
    }

    /** A read answered with what the replicas hold now. */
    private void readNow(long startMs, long endMs) {
        done(null, startMs, endMs, replicas.read(TL, READ_LIMIT));
    }

    @Test
    void convergedItemsThatDifferFromTheSpecificationAreReported() {
        Operation a = put(10, "a");
        chosen(1, a);
        done(a, 1, 2, new OpOutcome.Written(1));
        Map<Long, List<Item>> right = Map.of(TL, replicas.snapshot(TL).items());
        assertThat(new LinearizabilityChecker().withFinalItems(right)
                .check(history, oracle, Map.of(TL, 1L), READ_LIMIT)).isEmpty();

        Map<Long, List<Item>> lost = Map.of(TL, List.of()); // every replica dropped the item alike
        assertThat(new LinearizabilityChecker().withFinalItems(lost).check(history, oracle, Map.of(TL, 1L), READ_LIMIT))
                .singleElement().asString().contains("the replicas converged on 0 items");
    }

    private List<String> check() {
        return new LinearizabilityChecker().check(history, oracle, Map.of(TL, replicas.version(TL)), READ_LIMIT);
    }
}
