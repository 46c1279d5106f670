package org.sediment.ssd.paxos;

/**
 * Deliberate bugs a test can switch on in a replica ({@link PaxosReplica#plant}) to show that the
 * simulator and its checker catch each kind: if a planted bug goes unnoticed, the tests went
 * blind, not the core. Never set outside tests.
 */
public enum PlantedBug {
    /** Strong reads are served after the local check alone, without a majority's probes. */
    READS_WITHOUT_MAJORITY,
    /** A prepare reply leaves before the promise it reports is durable. */
    PREPARE_REPLY_BEFORE_DURABLE,
    /** An accept reply leaves before the accepted value is durable. */
    ACCEPT_REPLY_BEFORE_DURABLE,
    /** A value counts as chosen once this replica accepted it, without a majority. */
    CHOOSE_WITHOUT_MAJORITY,
    /**
     * A rejoining learner fences at the peers' highest committed entry, not one past the highest
     * entry they know: a value chosen with the lost incarnation's vote but not yet learned stays
     * on one peer's disk, and the learner may vote for another value there.
     */
    FENCE_FROM_PEERS_COMMITTED,
    /** A learner votes as soon as its peers answered, before it relearned anything. */
    VOTE_BEFORE_RELEARNED,
    /** A proposer starts out holding the right to fast-accept, as if it kept it across a restart. */
    FAST_ACCEPT_ACROSS_RESTART
}
