package org.sediment.ssd.paxos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peer messages whose content no honest replica sends (a member that was broken into, or bytes
 * that passed authentication and then went wrong) change no replica's state: they are refused,
 * counted, and the group goes on deciding writes.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // unbounded, the first decides no-ops for ever
class ForgedMessagesTest {
    private static final long TL = 9;
    private static final long FAR = 1L << 40;

    private long nextId = 1;

    private OpOutcome append(InProcessGroup g, int node) {
        long id = nextId++;
        g.submitWrite(node, id, TL, new Operation.Append(id, Operation.UNCONDITIONAL, 1_000, new byte[] {(byte) id}));
        g.runUntilQuiet();
        return g.takeReply(id);
    }

    private static void tick(InProcessGroup g, int ticks) {
        for (int i = 0; i < ticks; i++) {
            g.tickAll();
            g.runUntilQuiet();
        }
    }

    @Test
    void aFinishRequestFarPastTheLogDecidesNothingNew() {
        InProcessGroup g = new InProcessGroup(3, 3);
        append(g, 0);
        g.deliver(new PaxosMessage.FinishRequest(TL, 2, 0, 1, FAR));
        g.runUntilQuiet();
        tick(g, 200);
        // Before the bound, one such message made the group decide empty entries without end.
        assertThat(g.replica(0).committed(TL)).isLessThanOrEqualTo(2);
        assertThat(g.replica(0).refusedMessages()).isEqualTo(1);
        assertThat(g.replica(0).lastRefusal()).contains("past the entries known here");
        assertThat(append(g, 1)).isInstanceOf(OpOutcome.Appended.class);
    }

    @Test
    void aLearnedValueThatCannotApplyIsRefusedAndTheTimelineStaysReadable() {
        InProcessGroup g = new InProcessGroup(3, 4);
        append(g, 0);
        Proposal forged = new Proposal(2, 77, 1, List.of(
                new Operation.CommitColdLink(999, Operation.UNCONDITIONAL, 2_000, new byte[] {1, 2, 3})));
        for (int node = 0; node < 3; node++) {
            g.deliver(new PaxosMessage.Learn(TL, 2, node, 1, 2, forged));
        }
        g.runUntilQuiet();
        for (int node = 0; node < 3; node++) {
            assertThat(g.replica(node).committed(TL)).isEqualTo(1);
            assertThat(g.replica(node).appliedState().state(TL).coldLinks()).isEmpty();
        }
        assertThat(g.replica(0).lastRefusal()).contains("not a cold link");
        assertThat(append(g, 0)).isEqualTo(new OpOutcome.Appended(TimelineMachine.appendSeq(2, 0), 2));
    }

    @Test
    void anAcceptOfAValueThatCannotApplyOrFarPastTheLogIsNotTaken() {
        InProcessGroup g = new InProcessGroup(3, 5);
        append(g, 0);
        Proposal tooMany = new Proposal(2, 77, 1, java.util.stream.LongStream.range(0, 65)
                .mapToObj(i -> (Operation) new Operation.Delete(1_000 + i, Operation.UNCONDITIONAL, 5, 0)).toList());
        g.deliver(new PaxosMessage.Accept(TL, 2, 1, 1, 2, Ballot.of(99, 2), tooMany));
        Proposal fine = new Proposal(2, 77, 2, List.of(new Operation.Delete(5_000, Operation.UNCONDITIONAL, 5, 0)));
        g.deliver(new PaxosMessage.Accept(TL, 2, 1, 1, FAR, Ballot.of(99, 2), fine));
        g.runUntilQuiet();
        assertThat(g.replica(1).maxKnownEntry(TL)).isEqualTo(1);
        assertThat(g.replica(1).refusedMessages()).isEqualTo(1);
        assertThat(append(g, 1)).isInstanceOf(OpOutcome.Appended.class);
    }

    @Test
    void readsOfTimelinesThatDoNotExistLeaveNothingBehind() {
        InProcessGroup g = new InProcessGroup(3, 7);
        for (long t = 1_000; t < 1_100; t++) {
            g.submitRead(0, t, t);
        }
        g.runUntilQuiet();
        tick(g, 5);
        for (long t = 1_000; t < 1_100; t++) {
            assertThat(g.takeReply(t)).isInstanceOf(OpOutcome.ReadDone.class);
        }
        for (int node = 0; node < 3; node++) {
            assertThat(g.replica(node).timelinesKept()).isZero();
        }
    }

    @Test
    void idleTimelinesPastTheBudgetAreForgottenAndComeBackFromTheAppliedState() {
        InProcessGroup g = new InProcessGroup(PaxosConfig.defaults().withTimelinesKeptMax(10), 8);
        for (long t = 1; t <= 50; t++) {
            g.submitWrite(0, t, t, new Operation.Append(t, Operation.UNCONDITIONAL, 1_000, new byte[] {1}));
        }
        g.runUntilQuiet();
        tick(g, 5);
        assertThat(g.replica(0).timelinesKept()).isLessThanOrEqualTo(10);
        assertThat(g.replica(0).forgottenTimelines()).isGreaterThanOrEqualTo(40);
        g.submitWrite(0, 77, 3, new Operation.Append(77, Operation.UNCONDITIONAL, 1_000, new byte[] {2}));
        g.runUntilQuiet();
        assertThat(g.takeReply(77)).isEqualTo(new OpOutcome.Appended(TimelineMachine.appendSeq(2, 0), 2));
    }

    @Test
    void aClientWriteThatCannotApplyIsAnsweredInvalidAndNeverProposed() {
        InProcessGroup g = new InProcessGroup(3, 6);
        g.submitWrite(0, 1, TL, new Operation.CommitColdLink(1, Operation.UNCONDITIONAL, 10, new byte[] {7}));
        g.runUntilQuiet();
        assertThat(g.takeReply(1)).isInstanceOf(OpOutcome.Invalid.class);
        assertThat(g.replica(0).committed(TL)).isZero();
        assertThat(g.messagesSent()).isZero();
    }
}
