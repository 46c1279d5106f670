package org.sediment.ssd.paxos;

/** The answer to one client request submitted to this replica. */
public record ClientReply(long requestId, long timeline, OpOutcome outcome) {
}
