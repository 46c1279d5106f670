package org.sediment.ssd.paxos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Learner-only recovery of a replica that lost its disk (PaxosStore's "Learner Only" mode). The
 * replica votes in nothing; it asks <em>every</em> peer for the timelines it holds, each one's
 * committed index and highest known entry, and the highest ballot counter it used or saw
 * (full verification); computes per timeline the fence entry (one past the highest entry any
 * peer knows of); asks the peers to decide every entry up to it (finishing entries that are only
 * accepted, or a no-op) and catches up to it; then, once the shell has checked the relearned data
 * if it asked to ({@link PaxosReplica#requireCheckBeforeRejoin}), rejoins behind a
 * {@link VotingFence} built from those answers. Waiting for the fence entry itself to be
 * decided means that, once voting, the replica never has to abstain, and that every chosen value
 * is on two disks again before another failure can strike.
 *
 * <p>Every peer must answer because the lost incarnation's votes are only visible through the
 * peers that formed majorities with it, and with three replicas that can be either peer.
 */
final class LearnerRejoin {
    private final PaxosReplica replica;
    private final long requestId;
    private final Map<Integer, PaxosMessage.VerifyReply> replies = new HashMap<>();
    private long nextRequestTick;
    private Map<Long, Long> targetCommitted;
    private final Map<Long, Integer> bestSource = new HashMap<>();
    private final Map<Long, Long> fenceEntries = new HashMap<>();
    private long ballotCounterFloor;
    /** Whether the shell checks the relearned data before this learner votes, and whether it passed. */
    private boolean needsCheck;
    private boolean checkPassed;
    private boolean caughtUp;

    LearnerRejoin(PaxosReplica replica, long requestId) {
        this.replica = replica;
        this.requestId = requestId;
    }

    void onTick() {
        if (targetCommitted == null) {
            if (replica.currentTick() >= nextRequestTick) {
                nextRequestTick = replica.currentTick() + replica.config().verifyRetryTicks();
                for (int peer = 0; peer < replica.config().groupSize(); peer++) {
                    if (peer != replica.nodeIndex() && !replies.containsKey(peer)) {
                        replica.send(new PaxosMessage.VerifyRequest(0, replica.nodeIndex(), peer, 0, requestId));
                    }
                }
            }
            return;
        }
        progress();
    }

    void onVerifyReply(PaxosMessage.VerifyReply r) {
        if (r.requestId() != requestId || !r.voting() || targetCommitted != null) {
            return;
        }
        replies.put(r.from(), r);
        if (replies.size() == replica.config().groupSize() - 1) {
            computeTargets();
            nextRequestTick = replica.currentTick();
            progress();
        }
    }

    private void computeTargets() {
        targetCommitted = new HashMap<>();
        Map<Long, Long> bestCommitted = new HashMap<>();
        for (PaxosMessage.VerifyReply r : replies.values()) {
            ballotCounterFloor = Math.max(ballotCounterFloor, r.maxBallotCounter());
            for (PaxosMessage.TimelineStatus s : r.timelines()) {
                if (s.committed() > bestCommitted.getOrDefault(s.timeline(), -1L)) {
                    bestCommitted.put(s.timeline(), s.committed());
                    bestSource.put(s.timeline(), r.from());
                }
                long fence = replica.planted(PlantedBug.FENCE_FROM_PEERS_COMMITTED) ? s.committed()
                        : s.maxKnownEntry() + 1;
                targetCommitted.merge(s.timeline(), fence, Math::max);
                fenceEntries.merge(s.timeline(), fence, Math::max);
            }
        }
    }

    /** Called on ticks and after each apply once the targets are known. */
    void progress() {
        if (targetCommitted == null) {
            return;
        }
        boolean nudge = replica.currentTick() >= nextRequestTick;
        if (nudge) {
            nextRequestTick = replica.currentTick() + replica.config().verifyRetryTicks();
        }
        boolean caughtUp = true;
        for (Map.Entry<Long, Long> e : targetCommitted.entrySet()) {
            long timeline = e.getKey();
            long target = e.getValue();
            if (replica.committed(timeline) >= target) {
                continue;
            }
            caughtUp = false;
            replica.requestCatchUp(timeline, bestSource.get(timeline));
            if (nudge) {
                for (int peer = 0; peer < replica.config().groupSize(); peer++) {
                    if (peer != replica.nodeIndex()) {
                        replica.send(new PaxosMessage.FinishRequest(timeline, replica.nodeIndex(), peer,
                                replica.committed(timeline), target));
                    }
                }
            }
        }
        if (caughtUp || replica.planted(PlantedBug.VOTE_BEFORE_RELEARNED)) {
            this.caughtUp = true;
            if (!needsCheck || checkPassed) {
                replica.rejoin(new VotingFence(ballotCounterFloor, fenceEntries, 0));
            }
        }
    }

    /** See {@link PaxosReplica#requireCheckBeforeRejoin}. */
    void requireCheck() {
        needsCheck = true;
    }

    boolean awaitingCheck() {
        return caughtUp && needsCheck && !checkPassed;
    }

    void passCheck() {
        checkPassed = true;
    }

    /**
     * A peer's answer to a learner's {@code VerifyRequest}: every timeline it holds ({@code stored},
     * those its core applied since, or with acceptor records), each one's committed and highest known entry, and the highest ballot
     * counter it reserved or promised. Its own prepare rounds in progress are abandoned, so a
     * promise it collected before the answer cannot complete unseen by the learner's fence.
     */
    static PaxosMessage.VerifyReply answer(PaxosReplica replica, PaxosMessage.VerifyRequest v, Set<Long> stored) {
        Set<Long> timelines = new HashSet<>(stored);
        long maxCounter = replica.ballotCounterReservedUpTo();
        for (TimelineLog log : replica.logs()) {
            log.proposer.abandonPrepareRound();
            if (!log.records.isEmpty() || replica.committed(log) > 0) {
                timelines.add(log.timeline);
            }
            for (AcceptorRecord r : log.records.values()) {
                maxCounter = Math.max(maxCounter, Ballot.counter(r.promised()));
            }
        }
        List<PaxosMessage.TimelineStatus> statuses = new ArrayList<>();
        for (long t : timelines) {
            statuses.add(new PaxosMessage.TimelineStatus(t, replica.committed(t), replica.maxKnownEntry(t)));
        }
        return new PaxosMessage.VerifyReply(0, replica.nodeIndex(), v.from(), 0, v.requestId(), replica.isVoting(),
                statuses, maxCounter);
    }
}
