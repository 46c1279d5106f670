package org.sediment.ssd.paxos;

import java.util.List;

/**
 * Every message between replicas of one group. All carry the timeline, sender, receiver and the
 * sender's committed index for that timeline, so lag is noticed on any traffic ({@code
 * senderCommitted}). Replies carry typed outcomes with their reason (a hint ballot, the chosen
 * value) rather than booleans.
 */
public sealed interface PaxosMessage {

    long timeline();

    int from();

    int to();

    long senderCommitted();

    /** Phase 1a. */
    record Prepare(long timeline, int from, int to, long senderCommitted, long entry, long ballot)
            implements PaxosMessage {
    }

    /**
     * NOT_VOTING: the replier is learner-only, or the entry is one its lost incarnation may
     * have voted in (see {@link VotingFence}); it abstains rather than vouch for lost state.
     */
    enum PrepareOutcome { PROMISED, REJECTED, ALREADY_CHOSEN, NOT_VOTING }

    /**
     * Phase 1b. PROMISED carries what was accepted (maybe nothing); REJECTED carries the higher
     * promise as a hint; ALREADY_CHOSEN carries the chosen value when the replier still has it.
     */
    record PrepareReply(long timeline, int from, int to, long senderCommitted, long entry, long ballot,
                        PrepareOutcome outcome, long hintBallot, long acceptedBallot, Proposal accepted)
            implements PaxosMessage {
    }

    /** Phase 2a; {@code ballot == Ballot.FAST} is a fast accept that skipped prepare. */
    record Accept(long timeline, int from, int to, long senderCommitted, long entry, long ballot,
                  Proposal value) implements PaxosMessage {
    }

    enum AcceptOutcome { ACCEPTED, REJECTED, ALREADY_CHOSEN, NOT_VOTING }

    record AcceptReply(long timeline, int from, int to, long senderCommitted, long entry, long ballot,
                       AcceptOutcome outcome, long hintBallot, Proposal chosen) implements PaxosMessage {
    }

    /** The value of {@code entry} is chosen. */
    record Learn(long timeline, int from, int to, long senderCommitted, long entry, Proposal value)
            implements PaxosMessage {
    }

    /**
     * The proposal with this identity is chosen at {@code entry}. Sent instead of {@link Learn}
     * to a replica that was asked to accept that proposal, and so most likely holds it: the
     * value crosses the network once, not twice.
     */
    record LearnAccepted(long timeline, int from, int to, long senderCommitted, long entry, int proposer,
                         long runId, long proposalSeq) implements PaxosMessage {

        boolean names(Proposal value) {
            return value != null && value.proposer() == proposer && value.runId() == runId
                    && value.seq() == proposalSeq;
        }
    }

    record CatchUpRequest(long timeline, int from, int to, long senderCommitted, long fromEntry, int maxEntries)
            implements PaxosMessage {
    }

    record ChosenEntry(long entry, Proposal value) {
    }

    /** Consecutive chosen entries from the request's {@code fromEntry}. */
    record CatchUpReply(long timeline, int from, int to, long senderCommitted, List<ChosenEntry> entries)
            implements PaxosMessage {
        public CatchUpReply {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Sent instead of a {@link CatchUpReply} when the requested entries were trimmed: part
     * {@code part} of {@code parts} of one snapshot. Each part carries the snapshot's timeline
     * and version and a run of its items, oldest part first; the first also carries the rest of
     * its state (cold links and remembered requests). The receiver installs once it holds every part ({@link SnapshotParts}).
     */
    record SnapshotReply(long timeline, int from, int to, long senderCommitted, TimelineSnapshot snapshot, int part,
                         int parts) implements PaxosMessage {
        public SnapshotReply {
            if (parts < 1 || part < 0 || part >= parts) {
                throw new IllegalArgumentException("snapshot part " + part + " of " + parts);
            }
            if (part > 0 && (!snapshot.coldLinks().isEmpty() || snapshot.state().requests().size() > 0)) {
                throw new IllegalArgumentException("only a snapshot's first part carries its cold links and requests");
            }
        }
    }

    /** Strong read: "do you know any entry after my committed one?" */
    record ReadProbe(long timeline, int from, int to, long senderCommitted, long probeId)
            implements PaxosMessage {
    }

    /**
     * {@code maxKnownEntry}: the highest entry the replier has accepted a value for or knows
     * chosen (for a rejoined replica, at least what it may have known before its disk loss).
     */
    record ReadProbeReply(long timeline, int from, int to, long senderCommitted, long probeId,
                          long maxKnownEntry, boolean voting) implements PaxosMessage {
    }

    /**
     * From a learner-only replica: "decide every entry of this timeline up to {@code upToEntry}"
     * (the receiver finishes pending entries, with a no-op if nothing is pending).
     */
    record FinishRequest(long timeline, int from, int to, long senderCommitted, long upToEntry)
            implements PaxosMessage {
    }

    /** Learner-only rejoin: "tell me every timeline you hold and the highest ballot counter". */
    record VerifyRequest(long timeline, int from, int to, long senderCommitted, long requestId)
            implements PaxosMessage {
    }

    record TimelineStatus(long timeline, long committed, long maxKnownEntry) {
    }

    record VerifyReply(long timeline, int from, int to, long senderCommitted, long requestId, boolean voting,
                       List<TimelineStatus> timelines, long maxBallotCounter) implements PaxosMessage {
        public VerifyReply {
            timelines = List.copyOf(timelines);
        }
    }
}
