package org.sediment.ssd.paxos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sediment.ssd.timeline.RequestMemory;
import org.sediment.ssd.timeline.RowChange;
import org.sediment.ssd.timeline.TimelineState;

class TimelineMachineTest {
    private static final long T = 5;

    private TimelineState state = TimelineState.EMPTY;
    private final InMemoryAppliedState rows = new InMemoryAppliedState();

    private List<OpOutcome> apply(Operation... ops) {
        TimelineMachine.Applied applied = TimelineMachine.apply(T, state, state.version() + 1,
                new Proposal(0, 1, state.version() + 1, List.of(ops)));
        rows.write(applied.update());
        assertThat(rows.state(T)).isEqualTo(applied.after());
        state = applied.after();
        return applied.outcomes();
    }

    private static Operation.Append append(long requestId, long ts) {
        return new Operation.Append(requestId, Operation.UNCONDITIONAL, ts, new byte[] {(byte) requestId});
    }

    @Test
    void appendSeqsComeFromTheEntryAndThePositionInIt() {
        assertThat(apply(append(1, 10), append(2, 10))).containsExactly(
                new OpOutcome.Appended(TimelineMachine.appendSeq(1, 0), 1),
                new OpOutcome.Appended(TimelineMachine.appendSeq(1, 1), 1));
        assertThat(rows.read(T, 10).newestItems()).extracting(Item::seq)
                .containsExactly(TimelineMachine.appendSeq(1, 1), TimelineMachine.appendSeq(1, 0));
    }

    @Test
    void aRetriedRequestGetsTheFirstOutcomeAndWritesNothing() {
        List<OpOutcome> first = apply(append(42, 10));
        apply(append(7, 11));
        List<OpOutcome> retry = apply(append(42, 10));
        assertThat(retry).isEqualTo(first);
        assertThat(rows.read(T, 10).newestItems()).hasSize(2);
        assertThat(state.version()).isEqualTo(3); // the retry's entry still takes a version
    }

    @Test
    void aRepeatInsideOneEntryIsAbsorbedToo() {
        List<OpOutcome> outcomes = apply(append(9, 10), append(9, 10));
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
        assertThat(rows.read(T, 10).newestItems()).hasSize(1);
    }

    @Test
    void aRetriedCompareAndSetAnswersItsFirstOutcome() {
        apply(append(1, 10));
        Operation cas = new Operation.Put(2, 0, 20, 0, new byte[] {1});
        assertThat(apply(cas)).containsExactly(new OpOutcome.VersionMismatch(0, 1, 2));
        assertThat(apply(cas)).containsExactly(new OpOutcome.VersionMismatch(0, 1, 2));
    }

    @Test
    void aFailedCheckMovesTheVersionButNotWhatACompareAndSetTests() {
        apply(append(1, 10)); // written at 1
        assertThat(apply(new Operation.Put(2, 0, 20, 0, new byte[] {1})))
                .containsExactly(new OpOutcome.VersionMismatch(0, 1, 2));
        assertThat(state.version()).isEqualTo(2);
        assertThat(state.written()).isEqualTo(1);
        // A client that last saw version 1 or 2 still tests true: nothing was written after either.
        assertThat(apply(new Operation.Put(3, 1, 20, 0, new byte[] {3}))).containsExactly(new OpOutcome.Written(3));
        assertThat(apply(new Operation.Put(4, 2, 20, 0, new byte[] {4})))
                .containsExactly(new OpOutcome.VersionMismatch(2, 3, 4));
        assertThat(apply(new Operation.Put(5, 9, 20, 0, new byte[] {5}))) // a version the timeline has not reached
                .containsExactly(new OpOutcome.VersionMismatch(9, 4, 5));
        assertThat(apply(new Operation.Put(6, 5, 20, 0, new byte[] {6}))).containsExactly(new OpOutcome.Written(6));
    }

    @Test
    void theMemoryKeepsTheNewestRequestsAndForgetsTheOldest() {
        for (long id = 1; id <= RequestMemory.CAPACITY + 1; id++) {
            apply(append(id, 10));
        }
        assertThat(state.requests().size()).isEqualTo(RequestMemory.CAPACITY);
        assertThat(state.requests().find(1)).isNull();
        assertThat(state.requests().find(2)).isNotNull();
        apply(append(1, 10)); // forgotten: applies again
        assertThat(rows.read(T, 1_000).newestItems()).hasSize(RequestMemory.CAPACITY + 2);
    }

    @Test
    void anOperationThatCannotApplyChangesNothingAndSaysWhy() {
        List<OpOutcome> outcomes = apply(append(1, 10),
                new Operation.CommitColdLink(2, Operation.UNCONDITIONAL, 5, new byte[] {1, 2, 3}),
                new Operation.Put(3, Operation.UNCONDITIONAL, -1, 0, new byte[0]));
        assertThat(outcomes.get(0)).isInstanceOf(OpOutcome.Appended.class);
        assertThat(outcomes.get(1)).isInstanceOf(OpOutcome.Invalid.class).asString().contains("not a cold link");
        assertThat(outcomes.get(2)).isInstanceOf(OpOutcome.Invalid.class).asString().contains("ts -1 out of range");
        assertThat(state.coldLinks()).isEmpty();
        assertThat(rows.read(T, 10).newestItems()).hasSize(1);
    }

    @Test
    void anEntryWithMoreOperationsThanSeqsCanNumberAppliesNone() {
        Operation[] ops = new Operation[TimelineMachine.MAX_OPS_PER_ENTRY + 1];
        for (int i = 0; i < ops.length; i++) {
            ops[i] = append(i + 1, 10);
        }
        assertThat(apply(ops)).allMatch(o -> o instanceof OpOutcome.Invalid);
        assertThat(state.version()).isEqualTo(1);
        assertThat(rows.read(T, 100).newestItems()).isEmpty();
    }

    @Test
    void requestIdZeroIsNeverRemembered() {
        apply(append(RequestMemory.NO_ID, 10));
        apply(append(RequestMemory.NO_ID, 10));
        assertThat(rows.read(T, 10).newestItems()).hasSize(2);
        assertThat(state.requests().size()).isZero();
    }

    @Test
    void aColdLinkDeletesOlderRowsInOrderWithTheEntrysOtherChanges() {
        apply(append(1, 100), append(2, 200));
        TimelineMachine.Applied applied = TimelineMachine.apply(T, state, 2, new Proposal(0, 1, 2, List.of(
                append(3, 50), new Operation.CommitColdLink(4, Operation.UNCONDITIONAL, 150, new org.sediment.common.block.ColdLink(1, 0, 9, 0, 100, 0, 1, 0, 149).encode()),
                append(5, 60))));
        assertThat(applied.update().changes()).hasSize(3).element(1).isEqualTo(new RowChange.DeleteOlderThan(T, 150));
        rows.write(applied.update());
        // ts 100 and ts 50 (written before the link in the same entry) are gone; ts 60 came after it.
        assertThat(rows.read(T, 10).newestItems()).extracting(Item::ts).containsExactly(200L, 60L);
        assertThat(applied.after().coldLinks()).hasSize(1);
    }

    @Test
    void aSnapshotCarriesTheMemorySoARelearnedReplicaAbsorbsRetriesToo() {
        apply(append(42, 10));
        InMemoryAppliedState relearned = new InMemoryAppliedState();
        relearned.write(TimelineMachine.install(rows.snapshot(T)));
        TimelineMachine.Applied retry = TimelineMachine.apply(T, relearned.state(T), 2,
                new Proposal(0, 1, 2, List.of(append(42, 10))));
        assertThat(retry.outcomes()).containsExactly(new OpOutcome.Appended(TimelineMachine.appendSeq(1, 0), 1));
        assertThat(retry.update().changes()).isEmpty();
    }
}
