package org.sediment.ssd.paxos;

/**
 * Durable acceptor state of one log entry. Invariant: whatever was accepted was accepted at a
 * ballot no higher than the promise (accepting a ballot also promises it).
 */
public record AcceptorRecord(long promised, long acceptedBallot, Proposal accepted) {
    public static final AcceptorRecord EMPTY = new AcceptorRecord(Ballot.FAST, Ballot.FAST, null);

    public AcceptorRecord {
        assert accepted != null || acceptedBallot == Ballot.FAST : "ballot without value";
        assert accepted == null || acceptedBallot <= promised
                : "accepted " + Ballot.format(acceptedBallot) + " above promise " + Ballot.format(promised);
    }

    public boolean isEmpty() {
        return promised == Ballot.FAST && accepted == null;
    }

    public AcceptorRecord promise(long ballot) {
        return new AcceptorRecord(ballot, acceptedBallot, accepted);
    }

    public AcceptorRecord accept(long ballot, Proposal value) {
        return new AcceptorRecord(Math.max(promised, ballot), ballot, value);
    }
}
