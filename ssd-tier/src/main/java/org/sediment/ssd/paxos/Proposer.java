package org.sediment.ssd.paxos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One replica's proposer for one timeline. It runs at most one attempt at a time, always at
 * entry {@code committed + 1}; writes arriving meanwhile queue and travel together in the next
 * attempt's value (batching, so a hot timeline decides many writes per round trip).
 *
 * <p>An attempt keeps its value across rounds at the same entry, and its operations are moved
 * to another value only once the entry is known chosen with a different value: so an operation
 * can be chosen at most once. Each prepare round costs a round of the bounded budget; a round
 * fails on any rejection or timeout, then waits a jittered exponential backoff and retries with a
 * ballot above the highest rejection hint seen.
 */
final class Proposer {

    enum Phase { PREPARING, ACCEPTING, BACKOFF }

    record PendingOp(long requestId, Operation op, int roundsUsed) {
    }

    private static final class Attempt {
        final long entry;
        final Proposal ours;
        final List<PendingOp> ops;
        Phase phase;
        long ballot;
        long hintBallot;
        int prepareRounds;
        long phaseStartedTick;
        Proposal proposing;
        long highestAcceptedBallot = -1;
        /** Replicas that voted for this round, by index: cleared and refilled, never reallocated. */
        final BitSet votes = new BitSet();
        /** Replicas that answered they do not vote: they hold no value to learn by its identity. */
        final BitSet notVoting = new BitSet();

        Attempt(long entry, Proposal ours, List<PendingOp> ops, int roundsAlreadyUsed) {
            this.entry = entry;
            this.ours = ours;
            this.ops = ops;
            this.prepareRounds = roundsAlreadyUsed;
        }
    }

    private final long timeline;
    private final PaxosReplica replica;
    private final ArrayDeque<PendingOp> queue = new ArrayDeque<>();
    private Attempt attempt;
    private long backoffUntilTick;
    /** The entry this run may fast-propose: its own value was chosen just before it. */
    private long fastEntry = -1;
    /** Entries up to this one should be decided even with no writes queued (no-ops if needed). */
    private long finishUpTo;
    private long nextProposalSeq;

    Proposer(long timeline, PaxosReplica replica) {
        this.timeline = timeline;
        this.replica = replica;
    }

    /** Test-only ({@link PlantedBug#FAST_ACCEPT_ACROSS_RESTART}): claims the fast right at {@code entry}. */
    void assumeFastRight(long entry) {
        fastEntry = entry;
    }

    /** Queues a write; false when the queue is at its limit. */
    boolean submit(long requestId, Operation op) {
        if (queue.size() >= replica.config().maxQueuedOpsPerTimeline()) {
            return false;
        }
        queue.addLast(new PendingOp(requestId, op, 0));
        kick();
        return true;
    }

    /**
     * Drive every entry up to {@code upToEntry} to a decision, proposing no-ops where nothing is
     * pending: a strong read that found a pending entry, or a learner waiting to rejoin.
     */
    void requestFinish(long upToEntry) {
        finishUpTo = Math.max(finishUpTo, upToEntry);
        kick();
    }

    private boolean finishPending() {
        return replica.committed(timeline) < finishUpTo;
    }

    int queuedOps() {
        return queue.size();
    }

    /** Nothing queued, in flight or to finish: ticks have nothing to do here. */
    boolean idle() {
        return attempt == null && queue.isEmpty() && !finishPending();
    }

    void kick() {
        long now = replica.currentTick();
        if (attempt == null) {
            if ((queue.isEmpty() && !finishPending()) || now < backoffUntilTick) {
                return;
            }
            beginAttempt();
        } else if (attempt.phase == Phase.BACKOFF && now >= backoffUntilTick) {
            startPrepare();
        }
    }

    private void beginAttempt() {
        List<PendingOp> batch = takeBatch();
        int roundsUsed = batch.stream().mapToInt(PendingOp::roundsUsed).max().orElse(0);
        List<Operation> ops = new ArrayList<>(batch.size());
        batch.forEach(p -> ops.add(p.op()));
        Proposal ours = new Proposal(replica.nodeIndex(), replica.runId(), nextProposalSeq++, ops);
        long entry = replica.committed(timeline) + 1;
        attempt = new Attempt(entry, ours, batch, roundsUsed);
        if (fastEntry == entry && replica.acceptorUntouched(timeline, entry)) {
            attempt.ballot = Ballot.FAST;
            startAccept(ours);
        } else {
            startPrepare();
        }
    }

    private List<PendingOp> takeBatch() {
        List<PendingOp> batch = new ArrayList<>();
        if (!queue.isEmpty() && queue.peekFirst().op().conditional()) {
            batch.add(queue.pollFirst());
            return batch;
        }
        while (!queue.isEmpty() && batch.size() < replica.config().maxBatchOps()
                && !queue.peekFirst().op().conditional()) {
            batch.add(queue.pollFirst());
        }
        return batch;
    }

    private void startPrepare() {
        Attempt a = attempt;
        if (a.prepareRounds >= replica.config().maxPrepareRounds()) {
            giveUp("no majority after " + a.prepareRounds + " prepare rounds");
            return;
        }
        a.prepareRounds++;
        a.ballot = replica.newBallot(timeline, a.entry, a.hintBallot);
        a.phase = Phase.PREPARING;
        a.phaseStartedTick = replica.currentTick();
        a.votes.clear();
        a.proposing = null;
        a.highestAcceptedBallot = -1;
        long entry = a.entry;
        long ballot = a.ballot;
        replica.broadcast(to -> new PaxosMessage.Prepare(timeline, replica.nodeIndex(), to,
                replica.committed(timeline), entry, ballot), true);
    }

    private void startAccept(Proposal value) {
        Attempt a = attempt;
        a.phase = Phase.ACCEPTING;
        a.phaseStartedTick = replica.currentTick();
        a.votes.clear();
        a.proposing = value;
        long entry = a.entry;
        long ballot = a.ballot;
        replica.broadcast(to -> new PaxosMessage.Accept(timeline, replica.nodeIndex(), to,
                replica.committed(timeline), entry, ballot, value), true);
    }

    void onPrepareReply(PaxosMessage.PrepareReply r) {
        Attempt a = attempt;
        noteNotVoting(a, r.entry(), r.from(), r.outcome() == PaxosMessage.PrepareOutcome.NOT_VOTING);
        if (a == null || a.phase != Phase.PREPARING || r.entry() != a.entry || r.ballot() != a.ballot) {
            return; // stale: an earlier round or attempt
        }
        switch (r.outcome()) {
            case PROMISED -> {
                a.votes.set(r.from());
                if (r.accepted() != null && r.acceptedBallot() > a.highestAcceptedBallot) {
                    a.highestAcceptedBallot = r.acceptedBallot();
                    a.proposing = r.accepted();
                }
                if (a.votes.cardinality() >= replica.config().majority()) {
                    // Paxos: the value accepted at the highest ballot, else our own.
                    startAccept(a.proposing != null ? a.proposing : a.ours);
                }
            }
            case REJECTED -> roundFailed(r.hintBallot());
            case ALREADY_CHOSEN -> alreadyChosen(r.accepted());
            case NOT_VOTING -> {
            }
        }
    }

    void onAcceptReply(PaxosMessage.AcceptReply r) {
        Attempt a = attempt;
        noteNotVoting(a, r.entry(), r.from(), r.outcome() == PaxosMessage.AcceptOutcome.NOT_VOTING);
        if (a == null || a.phase != Phase.ACCEPTING || r.entry() != a.entry || r.ballot() != a.ballot) {
            return;
        }
        switch (r.outcome()) {
            case ACCEPTED -> {
                a.votes.set(r.from());
                if (a.votes.cardinality() >= replica.chooseQuorum()) {
                    replica.choose(timeline, a.entry, a.proposing, a.notVoting);
                }
            }
            case REJECTED -> roundFailed(r.hintBallot());
            case ALREADY_CHOSEN -> alreadyChosen(r.chosen());
            case NOT_VOTING -> {
            }
        }
    }

    /**
     * A learner's answer counts for the whole attempt, whatever its round: a majority may have
     * moved the attempt on before it arrived, and the learner still holds no value.
     */
    private static void noteNotVoting(Attempt a, long entry, int from, boolean notVoting) {
        if (notVoting && a != null && entry == a.entry) {
            a.notVoting.set(from);
        }
    }

    private void alreadyChosen(Proposal chosen) {
        if (chosen != null) {
            replica.learn(timeline, attempt.entry, chosen);
            return;
        }
        // The replier no longer has the value; catch-up (triggered by its piggybacked
        // committed index) will tell us. Wait briefly without spending a round.
        attempt.prepareRounds = Math.max(0, attempt.prepareRounds - 1);
        attempt.phase = Phase.BACKOFF;
        backoffUntilTick = replica.currentTick() + replica.config().backoffBaseTicks();
    }

    private void roundFailed(long hintBallot) {
        Attempt a = attempt;
        a.hintBallot = Math.max(a.hintBallot, hintBallot);
        a.phase = Phase.BACKOFF;
        int exponent = Math.min(a.prepareRounds, 10);
        long cap = Math.min(replica.config().backoffMaxTicks(),
                (long) replica.config().backoffBaseTicks() << exponent);
        backoffUntilTick = replica.currentTick() + 1 + replica.random().nextLong(0, cap);
    }

    private void giveUp(String reason) {
        Attempt a = attempt;
        for (PendingOp p : a.ops) {
            replica.reply(p.requestId(), timeline, new OpOutcome.Contended(a.prepareRounds, reason));
        }
        attempt = null;
        finishUpTo = 0;
    }

    /**
     * A learner is verifying: promises collected so far may include ones its lost incarnation
     * gave, so this round must not turn them into accepts. Rounds already accepting are visible
     * to the learner through our own durable promise.
     */
    void abandonPrepareRound() {
        Attempt a = attempt;
        if (a != null && a.phase == Phase.PREPARING) {
            roundFailed(a.hintBallot);
        }
    }

    void onTick() {
        Attempt a = attempt;
        if (a != null && a.phase != Phase.BACKOFF
                && replica.currentTick() - a.phaseStartedTick >= replica.config().rpcTimeoutTicks()) {
            roundFailed(a.hintBallot);
        }
        kick();
    }

    /** Entry {@code entry} was applied with {@code value}; {@code outcomes} match its ops. */
    void onApplied(long entry, Proposal value, List<OpOutcome> outcomes) {
        Attempt a = attempt;
        if (a != null && a.ours.sameIdentity(value)) {
            assert a.entry == entry : "our value chosen at " + entry + " but proposed at " + a.entry;
            for (int i = 0; i < a.ops.size(); i++) {
                replica.reply(a.ops.get(i).requestId(), timeline, outcomes.get(i));
            }
            attempt = null;
            fastEntry = entry + 1;
        } else {
            fastEntry = -1;
            if (a != null && a.entry <= entry) {
                requeueLost(a);
            }
        }
        kick();
    }

    /** A snapshot jumped past our attempt's entry: we cannot know whether our value was in it. */
    void onSnapshotInstalled(long version) {
        fastEntry = -1;
        Attempt a = attempt;
        if (a != null && a.entry <= version) {
            for (PendingOp p : a.ops) {
                replica.reply(p.requestId(), timeline,
                        new OpOutcome.Contended(a.prepareRounds, "entry " + a.entry + " skipped by a snapshot"));
            }
            attempt = null;
        }
        kick();
    }

    private void requeueLost(Attempt a) {
        for (int i = a.ops.size() - 1; i >= 0; i--) {
            PendingOp p = a.ops.get(i);
            queue.addFirst(new PendingOp(p.requestId(), p.op(), a.prepareRounds));
        }
        attempt = null;
    }

    /** Replica lost its right to propose (it is learner-only): fail everything queued. */
    void failAll(OpOutcome outcome) {
        for (PendingOp p : queue) {
            replica.reply(p.requestId(), timeline, outcome);
        }
        queue.clear();
    }
}
