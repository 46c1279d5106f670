package org.sediment.ssd.paxos;

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.function.Consumer;

/**
 * Numbers a replica's storage writes and holds back every message until the writes it depends
 * on are durable (the shell reports durability as a prefix, {@link PaxosReplica#onDurable}), so
 * no promise, accept or reply leaves before the state it speaks for is on disk. A crash loses
 * the held messages with the writes they waited for, which is what makes that safe.
 */
final class DurabilityGate {

    private record Held(long afterWriteSeq, PaxosMessage message) {
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final EnumSet<PlantedBug> planted;
    private long lastWriteSeq;
    private long durableWriteSeq;
    /** The write that reserved the ballot counters in use: what a Prepare or Accept waits for. */
    private long ballotReservationWriteSeq;

    DurabilityGate(EnumSet<PlantedBug> planted) {
        this.planted = planted;
    }

    /** The sequence number of a new write. */
    long nextWriteSeq() {
        return ++lastWriteSeq;
    }

    /** The write just issued reserved ballot counters: requests at those ballots wait for it alone. */
    void lastWriteReservedBallots() {
        ballotReservationWriteSeq = lastWriteSeq;
    }

    /** Passes {@code m} to {@code dispatch} now if what it depends on is durable, else holds it. */
    void send(PaxosMessage m, Consumer<PaxosMessage> dispatch) {
        long after = mustFollow(m);
        if (durableWriteSeq >= after) {
            dispatch.accept(m);
        } else {
            held.addLast(new Held(after, m));
        }
    }

    /** Every write up to {@code writeSeq} is durable: releases the messages that waited for them, in order. */
    void onDurable(long writeSeq, Consumer<PaxosMessage> dispatch) {
        assert writeSeq <= lastWriteSeq : "durable " + writeSeq + " beyond issued " + lastWriteSeq;
        durableWriteSeq = Math.max(durableWriteSeq, writeSeq);
        while (!held.isEmpty() && held.peekFirst().afterWriteSeq() <= durableWriteSeq) {
            dispatch.accept(held.pollFirst().message());
        }
    }

    /**
     * The last write {@code m} depends on. A reply speaks for this replica's acceptor and applied
     * state, so it waits for every write issued so far. A request makes no promise: a Prepare or
     * Accept only needs its ballot reserved durably (never reused after a crash), and the rest
     * carry chosen values or ask questions. Not holding requests behind the log keeps this
     * replica's fsync off the path of a write it proposes: peers accept while it syncs.
     */
    private long mustFollow(PaxosMessage m) {
        return switch (m) {
            case PaxosMessage.Prepare p -> ballotReservationWriteSeq;
            case PaxosMessage.Accept a -> ballotReservationWriteSeq;
            case PaxosMessage.Learn l -> 0;
            case PaxosMessage.LearnAccepted l -> 0;
            case PaxosMessage.CatchUpRequest c -> 0;
            case PaxosMessage.ReadProbe r -> 0;
            case PaxosMessage.FinishRequest f -> 0;
            case PaxosMessage.VerifyRequest v -> 0;
            case PaxosMessage.PrepareReply r when planted.contains(PlantedBug.PREPARE_REPLY_BEFORE_DURABLE) -> 0;
            case PaxosMessage.AcceptReply r when planted.contains(PlantedBug.ACCEPT_REPLY_BEFORE_DURABLE) -> 0;
            default -> lastWriteSeq;
        };
    }
}
