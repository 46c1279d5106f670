package org.sediment.ssd.paxos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Deterministic single-scenario checks of the core on a perfect in-process network. */
class PaxosCoreTest {
    private static final long TL = 42;
    private long nextId = 1;

    private Operation append(long ts) {
        long id = nextId++;
        return new Operation.Append(id, Operation.UNCONDITIONAL, ts, new byte[] {(byte) id});
    }

    private OpOutcome write(InProcessGroup g, int node, Operation op) {
        g.submitWrite(node, op.opId(), TL, op);
        g.runUntilQuiet();
        return g.takeReply(op.opId());
    }

    /** Writes, ticking the group until the write is answered or {@code maxTicks} pass (null then). */
    private static OpOutcome writeTicking(InProcessGroup g, int node, Operation op, int maxTicks) {
        g.submitWrite(node, op.opId(), TL, op);
        OpOutcome outcome = null;
        for (int i = 0; i < maxTicks && outcome == null; i++) {
            g.tickAll();
            g.runUntilQuiet();
            outcome = g.takeReply(op.opId());
        }
        return outcome;
    }

    @Test
    void firstWritePreparesThenTheWinnerFastAcceptsInOneRoundTrip() {
        InProcessGroup g = new InProcessGroup(3, 1);
        long before = g.messagesSent();
        assertThat(write(g, 0, append(1000))).isEqualTo(new OpOutcome.Appended(TimelineMachine.appendSeq(1, 0), 1));
        assertThat(g.lastRoundTrips()).isEqualTo(2);
        assertThat(g.messagesSent() - before).isEqualTo(10); // 2 prepare, 2 promise, 2 accept, 2 accepted, 2 learn

        before = g.messagesSent();
        assertThat(write(g, 0, append(1000))).isEqualTo(new OpOutcome.Appended(TimelineMachine.appendSeq(2, 0), 2));
        assertThat(g.lastRoundTrips()).isEqualTo(1);
        assertThat(g.messagesSent() - before).isEqualTo(6); // 2 fast accept, 2 accepted, 2 learn
        System.out.println("messages per write: prepare path 10 (2 round trips), fast path 6 (1 round trip)");
    }

    @Test
    void anotherReplicaMustPrepareAndRecoversTheFastRight() {
        InProcessGroup g = new InProcessGroup(3, 2);
        write(g, 0, append(1));
        write(g, 0, append(2));
        assertThat(write(g, 1, append(3))).isInstanceOf(OpOutcome.Appended.class);
        assertThat(g.lastRoundTrips()).isEqualTo(2);
        assertThat(write(g, 1, append(4))).isEqualTo(new OpOutcome.Appended(TimelineMachine.appendSeq(4, 0), 4));
        assertThat(g.lastRoundTrips()).isEqualTo(1);
    }

    @Test
    void concurrentWritesToOneTimelineShareAnEntry() {
        InProcessGroup g = new InProcessGroup(3, 3);
        for (int i = 0; i < 50; i++) {
            Operation op = append(7);
            g.submitWrite(0, op.opId(), TL, op);
        }
        g.runUntilQuiet();
        // The first write started an attempt alone; the other 49 waited and went as one batch.
        assertThat(g.replica(0).committed(TL)).isEqualTo(2);
        assertThat(g.takeReply(50)).isEqualTo(new OpOutcome.Appended(TimelineMachine.appendSeq(2, 48), 2));
    }

    @Test
    void compareAndSetFailsWithTheActualVersion() {
        InProcessGroup g = new InProcessGroup(3, 4);
        write(g, 0, append(1));
        Operation cas = new Operation.Put(nextId++, 0, 5, 0, new byte[] {1});
        assertThat(write(g, 1, cas)).isEqualTo(new OpOutcome.VersionMismatch(0, 1, 2));
        Operation ok = new Operation.Put(nextId++, 2, 5, 0, new byte[] {1});
        assertThat(write(g, 2, ok)).isEqualTo(new OpOutcome.Written(3));
    }

    @Test
    void strongReadOnALaggingReplicaCatchesUpFirst() {
        InProcessGroup g = new InProcessGroup(3, 5);
        write(g, 0, append(1));
        write(g, 0, append(2));
        g.submitRead(2, 999, TL);
        g.runUntilQuiet();
        OpOutcome read = g.takeReply(999);
        assertThat(read).isInstanceOf(OpOutcome.ReadDone.class);
        assertThat(((OpOutcome.ReadDone) read).version()).isEqualTo(2);
    }

    @Test
    void replicasThatWereSentTheValueToAcceptHearOnlyItsIdentityOnceItIsChosen() {
        InProcessGroup g = new InProcessGroup(3, 12);
        write(g, 0, append(1));
        List<PaxosMessage> seen = new ArrayList<>();
        g.dropWhen(m -> !seen.add(m)); // watches, drops nothing
        for (int i = 0; i < 5; i++) {
            write(g, 0, append(2 + i));
        }
        // The proposer chooses on the first peer's vote; the other peer's accept, not yet
        // counted, left the value in its record all the same.
        assertThat(seen).filteredOn(PaxosMessage.LearnAccepted.class::isInstance).hasSize(10);
        assertThat(seen).noneMatch(PaxosMessage.Learn.class::isInstance);
        for (int node = 0; node < 3; node++) {
            assertThat(g.replica(node).committed(TL)).as("replica %d", node).isEqualTo(6);
        }
    }

    @Test
    void aReplicaThatAnsweredItDoesNotVoteHearsTheChosenValueItself() {
        InProcessGroup g = new InProcessGroup(3, 14);
        write(g, 0, append(1));
        g.restart(2, RecoveredState.lostDisk(new InMemoryAppliedState()), 78);
        List<PaxosMessage> seen = new ArrayList<>();
        boolean[] firstVoteLost = {false};
        g.dropWhen(m -> {
            seen.add(m);
            // Lose replica 1's first vote, so the proposer hears replica 2's NOT_VOTING first.
            if (!firstVoteLost[0] && m instanceof PaxosMessage.AcceptReply r && r.from() == 1) {
                firstVoteLost[0] = true;
                return true;
            }
            return false;
        });
        OpOutcome reply = writeTicking(g, 0, append(2), 50);
        assertThat(reply).isInstanceOf(OpOutcome.Appended.class);
        long entry = ((OpOutcome.Appended) reply).version();
        // Whichever replica chose the entry, the learner got the value and no voter did.
        assertThat(seen).filteredOn(m -> m instanceof PaxosMessage.Learn l && l.entry() == entry)
                .extracting(PaxosMessage::to).containsExactly(2);
        assertThat(seen).filteredOn(m -> m instanceof PaxosMessage.LearnAccepted l && l.entry() == entry)
                .extracting(PaxosMessage::to).doesNotContain(2).isNotEmpty();
    }

    @Test
    void aLearnOfAValueThisReplicaDoesNotHoldIsIgnoredAndCaughtUpInstead() {
        InProcessGroup g = new InProcessGroup(3, 13);
        g.dropWhen(m -> m.to() == 2);
        write(g, 0, append(1));
        assertThat(g.replica(2).committed(TL)).isZero();

        // Replica 2 holds no record at entry 1, so no identity can match there.
        List<PaxosMessage> answer = g.deliver(new PaxosMessage.LearnAccepted(TL, 0, 2, 1, 1, 0, 1, 1));
        assertThat(g.replica(2).committed(TL)).isZero();
        PaxosMessage catchUp = answer.stream().filter(PaxosMessage.CatchUpRequest.class::isInstance)
                .findFirst().orElseThrow();

        g.dropWhen(m -> false);
        g.deliver(catchUp);
        g.runUntilQuiet();
        assertThat(g.replica(2).committed(TL)).isEqualTo(1);
    }

    @Test
    void aReplicaThatLostItsDiskRefusesWorkUntilItRejoins() {
        InProcessGroup g = new InProcessGroup(3, 6);
        write(g, 0, append(1));
        write(g, 0, append(2));
        g.restart(2, RecoveredState.lostDisk(new InMemoryAppliedState()), 77);
        Operation refused = append(3);
        assertThat(write(g, 2, refused)).isInstanceOf(OpOutcome.NotReady.class);
        for (int i = 0; i < 30 && !g.replica(2).isVoting(); i++) {
            g.tickAll();
            g.runUntilQuiet();
        }
        assertThat(g.replica(2).isVoting()).isTrue();
        long committed = g.replica(0).committed(TL);
        assertThat(committed).isGreaterThanOrEqualTo(2); // plus a no-op deciding the fence entry
        assertThat(g.replica(2).committed(TL)).isEqualTo(committed);
        assertThat(write(g, 2, append(4))).isEqualTo(new OpOutcome.Appended(TimelineMachine.appendSeq(committed + 1, 0), committed + 1));
    }

    @Test
    void aLearnerAskedToWaitForADataCheckVotesOnlyOnceItPasses() {
        InProcessGroup g = new InProcessGroup(3, 8);
        write(g, 0, append(1));
        g.restart(2, RecoveredState.lostDisk(new InMemoryAppliedState()), 78);
        g.replica(2).requireCheckBeforeRejoin();
        for (int i = 0; i < 30 && !g.replica(2).awaitingRejoinCheck(); i++) {
            g.tickAll();
            g.runUntilQuiet();
        }
        assertThat(g.replica(2).awaitingRejoinCheck()).as("caught up").isTrue();
        assertThat(g.replica(2).committed(TL)).isEqualTo(g.replica(0).committed(TL));
        for (int i = 0; i < 30; i++) {
            g.tickAll();
            g.runUntilQuiet();
        }
        assertThat(g.replica(2).isVoting()).as("still waiting for the check").isFalse();
        // While it waits it keeps learning what the others decide.
        write(g, 0, append(2));
        g.tickAll();
        g.runUntilQuiet();
        assertThat(g.replica(2).committed(TL)).isEqualTo(g.replica(0).committed(TL));

        g.replica(2).passRejoinCheck();
        g.tickAll();
        g.runUntilQuiet();
        assertThat(g.replica(2).isVoting()).isTrue();
        assertThat(g.replica(2).awaitingRejoinCheck()).isFalse();
        assertThat(write(g, 2, append(3))).isInstanceOf(OpOutcome.Appended.class);
    }

    @Test
    void aSnapshotTravelsInPartsAndALostPartIsSentAgain() {
        // Tails keep nothing, so a replica that missed entries needs a snapshot; parts of 1 KiB.
        PaxosConfig config = PaxosConfig.defaults().withTailBytesMax(0).withSnapshotPartBytes(1024);
        InProcessGroup g = new InProcessGroup(config, 9);
        g.dropWhen(m -> m.to() == 2);
        for (int i = 0; i < 40; i++) {
            write(g, 0, new Operation.Append(nextId++, Operation.UNCONDITIONAL, 1_000 + i, new byte[200]));
        }
        assertThat(g.replica(2).committed(TL)).isZero();
        java.util.concurrent.atomic.AtomicInteger partsSeen = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean droppedOne = new java.util.concurrent.atomic.AtomicBoolean();
        g.dropWhen(m -> {
            if (m instanceof PaxosMessage.SnapshotReply s) {
                assertThat(s.parts()).as("40 items of 200 B in parts of 1 KiB").isGreaterThan(4);
                partsSeen.incrementAndGet();
                return s.part() == 2 && droppedOne.compareAndSet(false, true); // the first copy of part 2 is lost
            }
            return false;
        });
        // Writes go on; each one's messages tell replica 2 how far behind it is, so it asks again
        // (after the retry interval) while its snapshot lacks a part.
        for (int i = 0; i < 100 && g.replica(2).committed(TL) < g.replica(0).committed(TL); i++) {
            write(g, 0, append(2_000 + i));
            g.tickAll();
            g.runUntilQuiet();
        }
        assertThat(droppedOne).isTrue();
        assertThat(g.replica(2).committed(TL)).isEqualTo(g.replica(0).committed(TL));
        assertThat(g.replica(2).readLocal(TL).newestItems()).extracting(Item::ts, Item::seq)
                .isEqualTo(g.replica(0).readLocal(TL).newestItems().stream()
                        .map(item -> org.assertj.core.groups.Tuple.tuple(item.ts(), item.seq())).toList())
                .isNotEmpty();
    }

    @Test
    void acceptorRulesFastAcceptOnlyOnAnUntouchedEntry() {
        TimelineLog log = new TimelineLog(TL, 8, new HeapTailValues());
        Proposal a = new Proposal(0, 1, 1, java.util.List.of());
        Proposal b = new Proposal(1, 1, 1, java.util.List.of());
        assertThat(log.onAccept(1, Ballot.FAST, a).granted()).isTrue();
        log.records.put(1L, log.onAccept(1, Ballot.FAST, a).updated());
        assertThat(log.onAccept(1, Ballot.FAST, b).granted()).isFalse();
        long prepared = Ballot.of(1, 2);
        log.records.put(2L, log.onPrepare(2, prepared).updated());
        assertThat(log.onAccept(2, Ballot.FAST, a).granted()).isFalse();
        assertThat(log.onPrepare(2, Ballot.of(1, 1)).granted()).isFalse();
        assertThat(log.onPrepare(2, Ballot.of(1, 1)).hintBallot()).isEqualTo(prepared);
    }

    @Test
    void ballotsOrderByCounterThenRotatedReplicaId() {
        assertThat(Ballot.of(2, 1)).isGreaterThan(Ballot.of(1, 3));
        assertThat(Ballot.counter(Ballot.of(7, 3))).isEqualTo(7);
        assertThat(Ballot.replicaId(Ballot.of(7, 3))).isEqualTo(3);
        for (long t = 0; t < 100; t++) {
            java.util.Set<Integer> ids = new java.util.HashSet<>();
            for (int n = 0; n < 3; n++) {
                ids.add(Ballot.rankOf(t, n, 3));
            }
            assertThat(ids).containsExactlyInAnyOrder(1, 2, 3);
        }
    }

    /**
     * Regression (found by the soak): a value fast-accepted by the old incarnation and one peer
     * is chosen even though nobody learned it; after a disk loss the rejoined replica must not
     * help a majority that ignores it.
     */
    @Test
    void aRejoinedReplicaAbstainsWhereItsLostIncarnationMayHaveAccepted() {
        InProcessGroup g = new InProcessGroup(3, 8);
        write(g, 1, append(1));
        write(g, 1, append(2)); // node 1 may now fast-accept entry 3
        g.dropWhen(m -> m.to() == 2 || m.from() == 2 || m instanceof PaxosMessage.AcceptReply);
        Operation lostAck = append(3);
        g.submitWrite(1, lostAck.opId(), TL, lostAck);
        g.runUntilQuiet(); // accepted by nodes 1 and 0: chosen, though no one knows
        assertThat(g.takeReply(lostAck.opId())).isNull();
        g.dropWhen(m -> false);
        g.restart(1, RecoveredState.lostDisk(new InMemoryAppliedState()), 99);
        for (int i = 0; i < 30 && !g.replica(1).isVoting(); i++) {
            g.tickAll();
            g.runUntilQuiet();
        }
        assertThat(g.replica(1).isVoting()).isTrue();
        // Node 0, the only survivor that saw the value, answers the first prepare too late.
        int[] dropped = {0};
        g.dropWhen(m -> m instanceof PaxosMessage.PrepareReply && m.from() == 0 && dropped[0]++ == 0);
        Operation op = append(4);
        g.submitWrite(1, op.opId(), TL, op);
        g.runUntilQuiet();
        OpOutcome next = g.takeReply(op.opId());
        for (int i = 0; i < 200 && next == null; i++) {
            g.tickAll();
            g.runUntilQuiet();
            next = g.takeReply(op.opId());
        }
        assertThat(next).isInstanceOf(OpOutcome.Appended.class);
        long version = ((OpOutcome.Appended) next).version();
        OpOutcome.ReadDone at2 = g.replica(2).appliedState().read(TL, 10);
        assertThat(at2.version()).isEqualTo(version);
        // The value chosen without anyone knowing survived the disk loss.
        assertThat(at2.newestItems()).extracting(Item::ts).containsExactly(4L, 3L, 2L, 1L);
    }

    @Test
    void aReplicaBehindTheTrimmedLogInstallsASnapshot() {
        InProcessGroup g = new InProcessGroup(3, 9);
        g.dropWhen(m -> m.to() == 2 || m.from() == 2);
        int writes = PaxosConfig.defaults().logTailEntries() + 40;
        for (int i = 0; i < writes; i++) {
            assertThat(write(g, 0, append(i))).isInstanceOf(OpOutcome.Appended.class);
        }
        assertThat(g.replica(2).committed(TL)).isZero();
        g.dropWhen(m -> false);
        g.submitRead(2, 12345, TL);
        g.runUntilQuiet();
        for (int i = 0; i < 100 && g.replica(2).committed(TL) < writes; i++) {
            g.tickAll();
            g.runUntilQuiet();
        }
        assertThat(g.replica(2).committed(TL)).isEqualTo(writes);
        assertThat(g.replica(2).appliedState().snapshot(TL)).isEqualTo(g.replica(0).appliedState().snapshot(TL));
    }

    @Test
    void theTailByteBudgetForgetsOldEntriesSoALaggingReplicaGetsASnapshot() {
        assertThat(snapshotsSentToCatchUp(PaxosConfig.defaults())).as("tails within budget").isZero();
        assertThat(snapshotsSentToCatchUp(PaxosConfig.defaults().withTailBytesMax(2_000))).as("tails over budget").isPositive();
    }

    /** Replica 2 misses 30 writes, then reads; how many snapshots did its catch-up need? */
    private int snapshotsSentToCatchUp(PaxosConfig config) {
        InProcessGroup g = new InProcessGroup(config, 11);
        g.dropWhen(m -> m.to() == 2 || m.from() == 2);
        int writes = 30;
        for (int i = 0; i < writes; i++) {
            assertThat(write(g, 0, append(i))).isInstanceOf(OpOutcome.Appended.class);
        }
        int[] snapshots = {0};
        g.dropWhen(m -> {
            if (m instanceof PaxosMessage.SnapshotReply) {
                snapshots[0]++;
            }
            return false;
        });
        g.submitRead(2, 777, TL);
        g.runUntilQuiet();
        for (int i = 0; i < 100 && g.replica(2).committed(TL) < writes; i++) {
            g.tickAll();
            g.runUntilQuiet();
        }
        // The read may finish the timeline with a no-op entry of its own.
        assertThat(g.replica(2).committed(TL)).isGreaterThanOrEqualTo(writes);
        assertThat(g.replica(2).appliedState().snapshot(TL)).isEqualTo(g.replica(0).appliedState().snapshot(TL));
        return snapshots[0];
    }

    @Test
    void contentionEndsInATypedIndeterminateFailureNotALivelock() {
        InProcessGroup g = new InProcessGroup(3, 10);
        // Every accept is lost: prepare rounds keep failing on timeout until the budget is spent.
        g.dropWhen(m -> m instanceof PaxosMessage.Accept && m.from() != m.to());
        OpOutcome outcome = writeTicking(g, 0, append(1), 5_000);
        assertThat(outcome).isInstanceOf(OpOutcome.Contended.class);
        assertThat(((OpOutcome.Contended) outcome).prepareRounds()).isEqualTo(PaxosConfig.defaults().maxPrepareRounds());
    }
}
