package org.sediment.ssd.paxos;

/**
 * A replica's acceptor: answers prepares and accepts per timeline and entry by the rules in
 * {@link TimelineLog}, persisting every change before its reply leaves (the reply waits in the
 * {@link DurabilityGate}). It votes only while the replica votes, and only above the
 * {@link VotingFence} of a replica that relearned its state.
 */
final class Acceptor {
    private final PaxosReplica replica;
    /** Whether this acceptor has ever held an accepted value (since its state was formatted). */
    private boolean heldAcceptedValue;

    Acceptor(PaxosReplica replica) {
        this.replica = replica;
    }

    boolean heldAcceptedValue() {
        return heldAcceptedValue;
    }

    /** A record reloaded at start: it counts as held like one taken since. */
    void recovered(AcceptorRecord record) {
        heldAcceptedValue |= record.accepted() != null;
    }

    void onPrepare(PaxosMessage.Prepare m) {
        long t = m.timeline();
        TimelineLog log = replica.log(t);
        PaxosMessage.PrepareOutcome outcome;
        long hint = 0;
        AcceptorRecord rec = AcceptorRecord.EMPTY;
        Proposal chosen = null;
        if (!replica.isVoting() || tooFarAhead(m.entry(), log)) {
            outcome = PaxosMessage.PrepareOutcome.NOT_VOTING;
        } else if (m.entry() <= replica.committed(log)) {
            outcome = PaxosMessage.PrepareOutcome.ALREADY_CHOSEN;
            chosen = log.chosenInTail(m.entry());
        } else if (!replica.fence().allowsVote(t, m.entry())) {
            outcome = PaxosMessage.PrepareOutcome.NOT_VOTING;
        } else {
            TimelineLog.Vote vote = log.onPrepare(m.entry(), m.ballot());
            if (vote.updated() != null) {
                persist(log, m.entry(), vote.updated());
            }
            outcome = vote.granted() ? PaxosMessage.PrepareOutcome.PROMISED : PaxosMessage.PrepareOutcome.REJECTED;
            hint = vote.hintBallot();
            rec = log.record(m.entry());
        }
        replica.send(new PaxosMessage.PrepareReply(t, replica.nodeIndex(), m.from(), replica.committed(log), m.entry(),
                m.ballot(), outcome, hint, rec.acceptedBallot(), chosen != null ? chosen : rec.accepted()));
    }

    void onAccept(PaxosMessage.Accept m) {
        long t = m.timeline();
        TimelineLog log = replica.log(t);
        PaxosMessage.AcceptOutcome outcome;
        long hint = 0;
        Proposal chosen = null;
        if (!replica.isVoting() || tooFarAhead(m.entry(), log) || invalidValue(m)) {
            outcome = PaxosMessage.AcceptOutcome.NOT_VOTING;
        } else if (m.entry() <= replica.committed(log)) {
            outcome = PaxosMessage.AcceptOutcome.ALREADY_CHOSEN;
            chosen = log.chosenInTail(m.entry());
        } else if (!replica.fence().allowsVote(t, m.entry())) {
            outcome = PaxosMessage.AcceptOutcome.NOT_VOTING;
        } else {
            TimelineLog.Vote vote = log.onAccept(m.entry(), m.ballot(), m.value());
            if (vote.updated() != null) {
                persist(log, m.entry(), vote.updated());
            }
            outcome = vote.granted() ? PaxosMessage.AcceptOutcome.ACCEPTED : PaxosMessage.AcceptOutcome.REJECTED;
            hint = vote.hintBallot();
        }
        replica.send(new PaxosMessage.AcceptReply(t, replica.nodeIndex(), m.from(), replica.committed(log), m.entry(),
                m.ballot(), outcome, hint, chosen));
    }

    /**
     * An entry this far past the log is refused (the acceptor abstains, which is always safe): an
     * honest proposer works at its committed entry + 1, and a replica that far behind catches up
     * before it votes again; without the bound one forged message would make every later read
     * wait on an entry nobody proposed.
     */
    private boolean tooFarAhead(long entry, TimelineLog log) {
        return entry > replica.committed(log) + replica.config().entriesAheadMax();
    }

    /** A value the state machine could not apply never enters this acceptor's record. */
    private boolean invalidValue(PaxosMessage.Accept m) {
        String invalid = TimelineMachine.invalidReason(m.value());
        if (invalid != null) {
            replica.refused("asked to accept a value that cannot apply: " + invalid);
            return true;
        }
        return false;
    }

    /** True when this acceptor has neither promised nor accepted anything at the entry, and may vote there. */
    boolean untouched(long timeline, long entry) {
        return replica.isVoting() && replica.log(timeline).record(entry).isEmpty()
                && replica.fence().allowsVote(timeline, entry);
    }

    private void persist(TimelineLog log, long entry, AcceptorRecord record) {
        log.records.put(entry, record);
        heldAcceptedValue |= record.accepted() != null;
        replica.write(seq -> new StorageWrite.PersistAcceptor(seq, log.timeline, entry, record));
    }
}
